/*! bookchat widget (standalone) | includes Preact, MIT License, Copyright (c) 2015-present Jason Miller */
"use strict";(()=>{var ue,m,Ve,ko,F,ze,Xe,Ge,ve,re,V,Ye,xe,ye,ke,xo,ie={},ae=[],wo=/acit|ex(?:s|g|n|p|$)|rph|grid|ows|mnc|ntw|ine[ch]|zoo|^ord|itera/i,X=Array.isArray;function U(e,t){for(var o in t)e[o]=t[o];return e}function we(e){e&&e.parentNode&&e.parentNode.removeChild(e)}function G(e,t,o){var n,r,s,i={};for(s in t)s=="key"?n=t[s]:s=="ref"?r=t[s]:i[s]=t[s];if(arguments.length>2&&(i.children=arguments.length>3?ue.call(arguments,2):o),typeof e=="function"&&e.defaultProps!=null)for(s in e.defaultProps)i[s]===void 0&&(i[s]=e.defaultProps[s]);return se(e,i,n,r,null)}function se(e,t,o,n,r){var s={type:e,props:t,key:o,ref:n,__k:null,__:null,__b:0,__e:null,__c:null,constructor:void 0,__v:r??++Ve,__i:-1,__u:0};return r==null&&m.vnode!=null&&m.vnode(s),s}function L(e){return e.children}function H(e,t){this.props=e,this.context=t}function B(e,t){if(t==null)return e.__?B(e.__,e.__i+1):null;for(var o;t<e.__k.length;t++)if((o=e.__k[t])!=null&&o.__e!=null)return o.__e;return typeof e.type=="function"?B(e):null}function So(e){if(e.__P&&e.__d){var t=e.__v,o=t.__e,n=[],r=[],s=U({},t);s.__v=t.__v+1,m.vnode&&m.vnode(s),Se(e.__P,s,t,e.__n,e.__P.namespaceURI,32&t.__u?[o]:null,n,o??B(t),!!(32&t.__u),r),s.__v=t.__v,s.__.__k[s.__i]=s,tt(n,s,r),t.__e=t.__=null,s.__e!=o&&Je(s)}}function Je(e){if((e=e.__)!=null&&e.__c!=null)return e.__e=e.__c.base=null,e.__k.some(function(t){if(t!=null&&t.__e!=null)return e.__e=e.__c.base=t.__e}),Je(e)}function We(e){(!e.__d&&(e.__d=!0)&&F.push(e)&&!ce.__r++||ze!=m.debounceRendering)&&((ze=m.debounceRendering)||Xe)(ce)}function ce(){try{for(var e,t=1;F.length;)F.length>t&&F.sort(Ge),e=F.shift(),t=F.length,So(e)}finally{F.length=ce.__r=0}}function Qe(e,t,o,n,r,s,i,c,l,u,p){var h,a,f,b,S,y,k=n&&n.__k||ae,_=t.length;for(l=Co(o,t,k,l,_),h=0;h<_;h++)(f=o.__k[h])!=null&&(a=f.__i!=-1&&k[f.__i]||ie,f.__i=h,y=Se(e,f,a,r,s,i,c,l,u,p),b=f.__e,f.ref&&a.ref!=f.ref&&(a.ref&&Ce(a.ref,null,f),p.push(f.ref,f.__c||b,f)),S==null&&b!=null&&(S=b),4&f.__u?(l=Ze(f,l,e),a.__e&&(a.__e=null)):typeof f.type=="function"&&y!==void 0?l=y:b&&(l=b.nextSibling),f.__u&=-7);return o.__e=S,l}function Co(e,t,o,n,r){var s,i,c,l,u,p=o.length,h=p,a=0;for(e.__k=new Array(r),s=0;s<r;s++)(i=t[s])!=null&&typeof i!="boolean"&&typeof i!="function"?(typeof i=="string"||typeof i=="number"||typeof i=="bigint"||i.constructor==String?i=e.__k[s]=se(null,i,null,null,null):X(i)?i=e.__k[s]=se(L,{children:i},null,null,null):i.constructor===void 0&&i.__b>0?i=e.__k[s]=se(i.type,i.props,i.key,i.ref?i.ref:null,i.__v):e.__k[s]=i,l=s+a,i.__=e,i.__b=e.__b+1,c=null,(u=i.__i=Eo(i,o,l,h))!=-1&&(h--,(c=o[u])&&(c.__u|=2)),c==null||c.__v==null?(u==-1&&(r>p?a--:r<p&&a++),typeof i.type!="function"&&(i.__u|=4)):u!=l&&(u==l-1?a--:u==l+1?a++:(u>l?a--:a++,i.__u|=4))):e.__k[s]=null;if(h)for(s=0;s<p;s++)(c=o[s])!=null&&(2&c.__u)==0&&(c.__e==n&&(n=B(c)),nt(c,c));return n}function Ze(e,t,o){var n,r;if(typeof e.type=="function"){for(n=e.__k,r=0;n&&r<n.length;r++)n[r]&&(n[r].__=e,t=Ze(n[r],t,o));return t}e.__e!=t&&(t&&e.type&&!t.parentNode&&(t=B(e)),t=o.insertBefore(e.__e,t||null));do t=t&&t.nextSibling;while(t!=null&&t.nodeType==8);return t}function Y(e,t){return t=t||[],e==null||typeof e=="boolean"||(X(e)?e.some(function(o){Y(o,t)}):t.push(e)),t}function Eo(e,t,o,n){var r,s,i,c=e.key,l=e.type,u=t[o],p=u!=null&&(2&u.__u)==0;if(u===null&&c==null||p&&c==u.key&&l==u.type)return o;if(n>(p?1:0)){for(r=o-1,s=o+1;r>=0||s<t.length;)if((u=t[i=r>=0?r--:s++])!=null&&(2&u.__u)==0&&c==u.key&&l==u.type)return i}return-1}function Ke(e,t,o){t[0]=="-"?e.setProperty(t,o??""):e[t]=o==null?"":typeof o!="number"||wo.test(t)?o:o+"px"}function ne(e,t,o,n,r){var s,i;e:if(t=="style")if(typeof o=="string")e.style.cssText=o;else{if(typeof n=="string"&&(e.style.cssText=n=""),n)for(t in n)o&&t in o||Ke(e.style,t,"");if(o)for(t in o)n&&o[t]==n[t]||Ke(e.style,t,o[t])}else if(t[0]=="o"&&t[1]=="n")s=t!=(t=t.replace(Ye,"$1")),i=t.toLowerCase(),t=i in e||t=="onFocusOut"||t=="onFocusIn"?i.slice(2):t.slice(2),e.l||(e.l={}),e.l[t+s]=o,o?n?o[V]=n[V]:(o[V]=xe,e.addEventListener(t,s?ke:ye,s)):e.removeEventListener(t,s?ke:ye,s);else{if(r=="http://www.w3.org/2000/svg")t=t.replace(/xlink(H|:h)/,"h").replace(/sName$/,"s");else if(t!="width"&&t!="height"&&t!="href"&&t!="list"&&t!="form"&&t!="tabIndex"&&t!="download"&&t!="rowSpan"&&t!="colSpan"&&t!="role"&&t!="popover"&&t in e)try{e[t]=o??"";break e}catch{}typeof o=="function"||(o==null||o===!1&&t[4]!="-"?e.removeAttribute(t):e.setAttribute(t,t=="popover"&&o==1?"":o))}}function je(e){return function(t){if(this.l){var o=this.l[t.type+e];if(t[re]==null)t[re]=xe++;else if(t[re]<o[V])return;return o(m.event?m.event(t):t)}}}function Se(e,t,o,n,r,s,i,c,l,u){var p,h,a,f,b,S,y,k,_,v,x,g,T,D,$,N,R=t.type;if(t.constructor!==void 0)return null;128&o.__u&&(l=!!(32&o.__u),s=[c=t.__e=o.__e]),(p=m.__b)&&p(t);e:if(typeof R=="function"){h=i.length;try{if(_=t.props,v=R.prototype&&R.prototype.render,x=(p=R.contextType)&&n[p.__c],g=p?x?x.props.value:p.__:n,o.__c?k=(a=t.__c=o.__c).__=a.__E:(v?t.__c=a=new R(_,g):(t.__c=a=new H(_,g),a.constructor=R,a.render=Ro),x&&x.sub(a),a.state||(a.state={}),a.__n=n,f=a.__d=!0,a.__h=[],a._sb=[]),v&&a.__s==null&&(a.__s=a.state),v&&R.getDerivedStateFromProps!=null&&(a.__s==a.state&&(a.__s=U({},a.__s)),U(a.__s,R.getDerivedStateFromProps(_,a.__s))),b=a.props,S=a.state,a.__v=t,f)v&&R.getDerivedStateFromProps==null&&a.componentWillMount!=null&&a.componentWillMount(),v&&a.componentDidMount!=null&&a.__h.push(a.componentDidMount);else{if(v&&R.getDerivedStateFromProps==null&&_!==b&&a.componentWillReceiveProps!=null&&a.componentWillReceiveProps(_,g),t.__v==o.__v||!a.__e&&a.shouldComponentUpdate!=null&&a.shouldComponentUpdate(_,a.__s,g)===!1){t.__v!=o.__v&&(a.props=_,a.state=a.__s,a.__d=!1),t.__e=o.__e,t.__k=o.__k,t.__k.some(function(M){M&&(M.__=t)}),ae.push.apply(a.__h,a._sb),a._sb=[],a.__h.length&&i.push(a),c=B(o);break e}a.componentWillUpdate!=null&&a.componentWillUpdate(_,a.__s,g),v&&a.componentDidUpdate!=null&&a.__h.push(function(){a.componentDidUpdate(b,S,y)})}if(a.context=g,a.props=_,a.__P=e,a.__e=!1,T=m.__r,D=0,v)a.state=a.__s,a.__d=!1,T&&T(t),p=a.render(a.props,a.state,a.context),ae.push.apply(a.__h,a._sb),a._sb=[];else do a.__d=!1,T&&T(t),p=a.render(a.props,a.state,a.context),a.state=a.__s;while(a.__d&&++D<25);a.state=a.__s,a.getChildContext!=null&&(n=U(U({},n),a.getChildContext())),v&&!f&&a.getSnapshotBeforeUpdate!=null&&(y=a.getSnapshotBeforeUpdate(b,S)),$=p!=null&&p.type===L&&p.key==null?ot(p.props.children):p,c=Qe(e,X($)?$:[$],t,o,n,r,s,i,c,l,u),a.base=t.__e,t.__u&=-161,a.__h.length&&i.push(a),k&&(a.__E=a.__=null)}catch(M){if(i.length=h,t.__v=null,l||s!=null){if(M.then){for(t.__u|=l?160:128;c&&c.nodeType==8&&c.nextSibling;)c=c.nextSibling;s!=null&&(s[s.indexOf(c)]=null),t.__e=c}else if(s!=null)for(N=s.length;N--;)we(s[N])}else t.__e=o.__e;t.__k==null&&(t.__k=o.__k||[]),M.then||et(t),m.__e(M,t,o)}}else s==null&&t.__v==o.__v?(t.__k=o.__k,t.__e=o.__e):c=t.__e=No(o.__e,t,o,n,r,s,i,l,u);return(p=m.diffed)&&p(t),128&t.__u?void 0:c}function et(e){e&&(e.__c&&(e.__c.__e=!0),e.__k&&e.__k.some(et))}function tt(e,t,o){for(var n=0;n<o.length;n++)Ce(o[n],o[++n],o[++n]);m.__c&&m.__c(t,e),e.some(function(r){try{e=r.__h,r.__h=[],e.some(function(s){s.call(r)})}catch(s){m.__e(s,r.__v)}})}function ot(e){return typeof e!="object"||e==null||e.__b>0?e:X(e)?e.map(ot):e.constructor!==void 0?null:U({},e)}function No(e,t,o,n,r,s,i,c,l){var u,p,h,a,f,b,S,y=o.props||ie,k=t.props,_=t.type;if(_=="svg"?r="http://www.w3.org/2000/svg":_=="math"?r="http://www.w3.org/1998/Math/MathML":r||(r="http://www.w3.org/1999/xhtml"),s!=null){for(u=0;u<s.length;u++)if((f=s[u])&&"setAttribute"in f==!!_&&(_?f.localName==_:f.nodeType==3)){e=f,s[u]=null;break}}if(e==null){if(_==null)return document.createTextNode(k);e=document.createElementNS(r,_,k.is&&k),c&&(m.__m&&m.__m(t,s),c=!1),s=null}if(_==null)y===k||c&&e.data==k||(e.data=k);else{if(s=_=="textarea"&&k.defaultValue!=null?null:s&&ue.call(e.childNodes),!c&&s!=null)for(y={},u=0;u<e.attributes.length;u++)y[(f=e.attributes[u]).name]=f.value;for(u in y)f=y[u],u=="dangerouslySetInnerHTML"?h=f:u=="children"||u in k||u=="value"&&"defaultValue"in k||u=="checked"&&"defaultChecked"in k||ne(e,u,null,f,r);for(u in k)f=k[u],u=="children"?a=f:u=="dangerouslySetInnerHTML"?p=f:u=="value"?b=f:u=="checked"?S=f:c&&typeof f!="function"||y[u]===f||ne(e,u,f,y[u],r);if(p)c||h&&(p.__html==h.__html||p.__html==e.innerHTML)||(e.innerHTML=p.__html),t.__k=[];else if(h&&(e.innerHTML=""),Qe(t.type=="template"?e.content:e,X(a)?a:[a],t,o,n,_=="foreignObject"?"http://www.w3.org/1999/xhtml":r,s,i,s?s[0]:o.__k&&B(o,0),c,l),s!=null)for(u=s.length;u--;)we(s[u]);c&&_!="textarea"||(u="value",_=="progress"&&b==null?e.removeAttribute("value"):b!=null&&(b!==e[u]||_=="progress"&&!b||_=="option"&&b!=y[u])&&ne(e,u,b,y[u],r),u="checked",S!=null&&S!=e[u]&&ne(e,u,S,y[u],r))}return e}function Ce(e,t,o){try{if(typeof e=="function"){var n=typeof e.__u=="function";n&&e.__u(),n&&t==null||(e.__u=e(t))}else e.current=t}catch(r){m.__e(r,o)}}function nt(e,t,o){var n,r;if(m.unmount&&m.unmount(e),(n=e.ref)&&(n.current&&n.current!=e.__e||Ce(n,null,t)),(n=e.__c)!=null){if(n.componentWillUnmount)try{n.componentWillUnmount()}catch(s){m.__e(s,t)}n.base=n.__P=n.__n=null}if(n=e.__k)for(r=0;r<n.length;r++)n[r]&&nt(n[r],t,o||typeof e.type!="function");o||we(e.__e),e.__c=e.__=e.__e=void 0}function Ro(e,t,o){return this.constructor(e,o)}function Ee(e,t,o){var n,r,s,i;t==document&&(t=document.documentElement),m.__&&m.__(e,t),r=(n=typeof o=="function")?null:o&&o.__k||t.__k,s=[],i=[],Se(t,e=(!n&&o||t).__k=G(L,null,[e]),r||ie,ie,t.namespaceURI,!n&&o?[o]:r?null:t.firstChild?ue.call(t.childNodes):null,s,!n&&o?o:r?r.__e:t.firstChild,n,i),tt(s,e,i),e.props.children=null}ue=ae.slice,m={__e:function(e,t,o,n){for(var r,s,i;t=t.__;)if((r=t.__c)&&!r.__)try{if((s=r.constructor)&&s.getDerivedStateFromError!=null&&(r.setState(s.getDerivedStateFromError(e)),i=r.__d),r.componentDidCatch!=null&&(r.componentDidCatch(e,n||{}),i=r.__d),i)return r.__E=r}catch(c){e=c}throw e}},Ve=0,ko=function(e){return e!=null&&e.constructor===void 0},H.prototype.setState=function(e,t){var o;o=this.__s!=null&&this.__s!=this.state?this.__s:this.__s=U({},this.state),typeof e=="function"&&(e=e(U({},o),this.props)),e&&U(o,e),e!=null&&this.__v&&(t&&this._sb.push(t),We(this))},H.prototype.forceUpdate=function(e){this.__v&&(this.__e=!0,e&&this.__h.push(e),We(this))},H.prototype.render=L,F=[],Xe=typeof Promise=="function"?Promise.prototype.then.bind(Promise.resolve()):setTimeout,Ge=function(e,t){return e.__v.__b-t.__v.__b},ce.__r=0,ve=Math.random().toString(8),re="__d"+ve,V="__a"+ve,Ye=/(PointerCapture)$|Capture$/i,xe=0,ye=je(!1),ke=je(!0),xo=0;var z,w,Ne,rt,J=0,pt=[],E=m,st=E.__b,it=E.__r,at=E.diffed,ct=E.__c,ut=E.unmount,lt=E.__;function de(e,t){E.__h&&E.__h(w,e,J||t),J=0;var o=w.__H||(w.__H={__:[],__h:[]});return e>=o.__.length&&o.__.push({}),o.__[e]}function A(e){return J=1,pe(_t,e)}function pe(e,t,o){var n=de(z++,2);if(n.t=e,!n.__c&&(n.__=[o?o(t):_t(void 0,t),function(c){var l=n.__N?n.__N[0]:n.__[0],u=n.t(l,c);l!==u&&(n.__N=[u,n.__[1]],n.__c.setState({}))}],n.__c=w,!w.__f)){var r=function(c,l,u){if(!n.__c.__H)return!0;var p=!1,h=n.__c.props!==c;if(n.__c.__H.__.some(function(f){if(f.__N){p=!0;var b=f.__[0];f.__=f.__N,f.__N=void 0,b!==f.__[0]&&(h=!0)}}),s){var a=s.call(this,c,l,u);return p?a||h:a}return!p||h};w.__f=!0;var s=w.shouldComponentUpdate,i=w.componentWillUpdate;w.componentWillUpdate=function(c,l,u){if(this.__e){var p=s;s=void 0,r(c,l,u),s=p}i&&i.call(this,c,l,u)},w.shouldComponentUpdate=r}return n.__N||n.__}function C(e,t){var o=de(z++,3);!E.__s&&ft(o.__H,t)&&(o.__=e,o.u=t,w.__H.__h.push(o))}function I(e){return J=5,Q(function(){return{current:e}},[])}function Q(e,t){var o=de(z++,7);return ft(o.__H,t)&&(o.__=e(),o.__H=t,o.__h=e),o.__}function P(e,t){return J=8,Q(function(){return e},t)}function Z(){var e=de(z++,11);if(!e.__){for(var t=w.__v;t!==null&&!t.__m&&t.__!==null;)t=t.__;var o=t.__m||(t.__m=[0,0]);e.__="P"+o[0]+"-"+o[1]++}return e.__}function Ao(){for(var e;e=pt.shift();){var t=e.__H;if(e.__P&&t)try{t.__h.some(le),t.__h.some(Re),t.__h=[]}catch(o){t.__h=[],E.__e(o,e.__v)}}}E.__b=function(e){w=null,st&&st(e)},E.__=function(e,t){e&&t.__k&&t.__k.__m&&(e.__m=t.__k.__m),lt&&lt(e,t)},E.__r=function(e){it&&it(e),z=0;var t=(w=e.__c).__H;t&&(Ne===w?(t.__h=[],w.__h=[],t.__.some(function(o){o.__N&&(o.__=o.__N),o.u=o.__N=void 0})):(t.__h.some(le),t.__h.some(Re),t.__h=[],z=0)),Ne=w},E.diffed=function(e){at&&at(e);var t=e.__c;t&&t.__H&&(t.__H.__h.length&&(pt.push(t)!==1&&rt===E.requestAnimationFrame||((rt=E.requestAnimationFrame)||To)(Ao)),t.__H.__.some(function(o){o.u&&(o.__H=o.u,o.u=void 0)})),Ne=w=null},E.__c=function(e,t){t.some(function(o){try{o.__h.some(le),o.__h=o.__h.filter(function(n){return!n.__||Re(n)})}catch(n){t.some(function(r){r.__h&&(r.__h=[])}),t=[],E.__e(n,o.__v)}}),ct&&ct(e,t)},E.unmount=function(e){ut&&ut(e);var t,o=e.__c;o&&o.__H&&(o.__H.__.some(function(n){try{le(n)}catch(r){t=r}}),o.__H=void 0,t&&E.__e(t,o.__v))};var dt=typeof requestAnimationFrame=="function";function To(e){var t,o=function(){clearTimeout(n),dt&&cancelAnimationFrame(t),setTimeout(e)},n=setTimeout(o,35);dt&&(t=requestAnimationFrame(o))}function le(e){var t=w,o=e.__c;typeof o=="function"&&(e.__c=void 0,o()),w=t}function Re(e){var t=w;e.__c=e.__(),w=t}function ft(e,t){return!e||e.length!==t.length||t.some(function(o,n){return o!==e[n]})}function _t(e,t){return typeof t=="function"?t(e):t}function Io(e,t){for(var o in t)e[o]=t[o];return e}function ht(e,t){for(var o in e)if(o!=="__source"&&!(o in t))return!0;for(var n in t)if(n!=="__source"&&e[n]!==t[n])return!0;return!1}function mt(e,t){this.props=e,this.context=t}(mt.prototype=new H).isPureReactComponent=!0,mt.prototype.shouldComponentUpdate=function(e,t){return ht(this.props,e)||ht(this.state,t)};var bt=m.__b;m.__b=function(e){e.type&&e.type.__f&&e.ref&&(e.props.ref=e.ref,e.ref=null),bt&&bt(e)};var Nn=typeof Symbol<"u"&&Symbol.for&&Symbol.for("react.forward_ref")||3911;var Oo=m.__e;m.__e=function(e,t,o,n){if(e.then){for(var r,s=t;s=s.__;)if((r=s.__c)&&r.__c)return t.__e==null&&(t.__e=o.__e,t.__k=o.__k||[]),r.__c(e,t)}Oo(e,t,o,n)};var gt=m.unmount;function St(e,t,o){return e&&(e.__c&&e.__c.__H&&(e.__c.__H.__.forEach(function(n){typeof n.__c=="function"&&n.__c()}),e.__c.__H=null),(e=Io({},e)).__c!=null&&(e.__c.__P===o&&(e.__c.__P=t),e.__c.__e=!0,e.__c=null),e.__k=e.__k&&e.__k.map(function(n){return St(n,t,o)})),e}function Ct(e,t,o){return e&&o&&(e.__v=null,e.__k=e.__k&&e.__k.map(function(n){return Ct(n,t,o)}),e.__c&&e.__c.__P===t&&(e.__e&&o.appendChild(e.__e),e.__c.__e=!0,e.__c.__P=o)),e}function Ae(){this.__u=0,this.o=null,this.__b=null}function Et(e){var t=e.__&&e.__.__c;return t&&t.__a&&t.__a(e)}function fe(){this.i=null,this.l=null}m.unmount=function(e){var t=e.__c;t&&(t.__z=!0),t&&t.__R&&t.__R(),t&&32&e.__u&&(e.type=null),gt&&gt(e)},(Ae.prototype=new H).__c=function(e,t){var o=t.__c,n=this;n.o==null&&(n.o=[]),n.o.push(o);var r=Et(n.__v),s=!1,i=function(){s||n.__z||(s=!0,o.__R=null,r?r(l):l())};o.__R=i;var c=o.__P;o.__P=null;var l=function(){if(!--n.__u){if(n.state.__a){var u=n.state.__a;n.__v.__k[0]=Ct(u,u.__c.__P,u.__c.__O)}var p;for(n.setState({__a:n.__b=null});p=n.o.pop();)p.__P=c,p.forceUpdate()}};n.__u++||32&t.__u||n.setState({__a:n.__b=n.__v.__k[0]}),e.then(i,i)},Ae.prototype.componentWillUnmount=function(){this.o=[]},Ae.prototype.render=function(e,t){if(this.__b){if(this.__v.__k){var o=document.createElement("div"),n=this.__v.__k[0].__c;this.__v.__k[0]=St(this.__b,o,n.__O=n.__P)}this.__b=null}var r=t.__a&&G(L,null,e.fallback);return r&&(r.__u&=-33),[G(L,null,t.__a?null:e.children),r]};var vt=function(e,t,o){if(++o[1]===o[0]&&e.l.delete(t),e.props.revealOrder&&(e.props.revealOrder[0]!=="t"||!e.l.size))for(o=e.i;o;){for(;o.length>3;)o.pop()();if(o[1]<o[0])break;e.i=o=o[2]}};(fe.prototype=new H).__a=function(e){var t=this,o=Et(t.__v),n=t.l.get(e);return n[0]++,function(r){var s=function(){t.props.revealOrder?(n.push(r),vt(t,e,n)):r()};o?o(s):s()}},fe.prototype.render=function(e){this.i=null,this.l=new Map;var t=Y(e.children);e.revealOrder&&e.revealOrder[0]==="b"&&t.reverse();for(var o=t.length;o--;)this.l.set(t[o],this.i=[1,0,this.i]);return e.children},fe.prototype.componentDidUpdate=fe.prototype.componentDidMount=function(){var e=this;this.l.forEach(function(t,o){vt(e,o,t)})};var Do=typeof Symbol<"u"&&Symbol.for&&Symbol.for("react.element")||60103,Po=/^(?:accent|alignment|arabic|baseline|cap|clip(?!PathU)|color|dominant|fill|flood|font|glyph(?!R)|horiz|image(!S)|letter|lighting|marker(?!H|W|U)|overline|paint|pointer|shape|stop|strikethrough|stroke|text(?!L)|transform|underline|unicode|units|v|vector|vert|word|writing|x(?!C))[A-Z]/,Ho=/^on(Ani|Tra|Tou|BeforeInp|Compo)/,$o=/[A-Z0-9]/g,Uo=typeof document<"u",Fo=function(e){return(typeof Symbol<"u"&&typeof Symbol()=="symbol"?/fil|che|rad/:/fil|che|ra/).test(e)};function Nt(e,t,o){return t.__k==null&&(t.textContent=""),Ee(e,t),typeof o=="function"&&o(),e?e.__c:null}H.prototype.isReactComponent=!0,["componentWillMount","componentWillReceiveProps","componentWillUpdate"].forEach(function(e){Object.defineProperty(H.prototype,e,{configurable:!0,get:function(){return this["UNSAFE_"+e]},set:function(t){Object.defineProperty(this,e,{configurable:!0,writable:!0,value:t})}})});var yt=m.event;m.event=function(e){return yt&&(e=yt(e)),e.persist=function(){},e.isPropagationStopped=function(){return this.cancelBubble},e.isDefaultPrevented=function(){return this.defaultPrevented},e.nativeEvent=e};var Rt,qo={configurable:!0,get:function(){return this.class}},kt=m.vnode;m.vnode=function(e){typeof e.type=="string"&&(function(t){var o=t.props,n=t.type,r={},s=n.indexOf("-")==-1;for(var i in o){var c=o[i];if(!(i==="value"&&"defaultValue"in o&&c==null||Uo&&i==="children"&&n==="noscript"||i==="class"||i==="className")){var l=i.toLowerCase();i==="defaultValue"&&"value"in o&&o.value==null?i="value":i==="download"&&c===!0?c="":l==="translate"&&c==="no"?c=!1:l[0]==="o"&&l[1]==="n"?l==="ondoubleclick"?i="ondblclick":l!=="onchange"||n!=="input"&&n!=="textarea"||Fo(o.type)?l==="onfocus"?i="onfocusin":l==="onblur"?i="onfocusout":Ho.test(i)&&(i=l):l=i="oninput":s&&Po.test(i)?i=i.replace($o,"-$&").toLowerCase():c===null&&(c=void 0),l==="oninput"&&r[i=l]&&(i="oninputCapture"),r[i]=c}}n=="select"&&(r.multiple&&Array.isArray(r.value)&&(r.value=Y(o.children).forEach(function(u){u.props.selected=r.value.indexOf(u.props.value)!=-1})),r.defaultValue!=null&&(r.value=Y(o.children).forEach(function(u){u.props.selected=r.multiple?r.defaultValue.indexOf(u.props.value)!=-1:r.defaultValue==u.props.value}))),o.class&&!o.className?(r.class=o.class,Object.defineProperty(r,"className",qo)):o.className&&(r.class=r.className=o.className),t.props=r})(e),e.$$typeof=Do,kt&&kt(e)};var xt=m.__r;m.__r=function(e){xt&&xt(e),Rt=e.__c};var wt=m.diffed;m.diffed=function(e){wt&&wt(e);var t=e.props,o=e.__e;o!=null&&e.type==="textarea"&&"value"in t&&t.value!==o.value&&(o.value=t.value==null?"":t.value),Rt=null};function At(e){return!!e.__k&&(Ee(null,e),!0)}function Tt(e){return{render:function(t){Nt(t,e)},unmount:function(){At(e)}}}var Mt=`/* bookchat widget: everything is scoped under .bookchat-root; colors follow data-theme. */
.bookchat-root {
  --bc-bg: #ffffff;
  --bc-fg: #1c1e21;
  --bc-muted: #5f6368;
  --bc-border: #d0d7de;
  --bc-accent: #2e6bd6;
  --bc-accent-fg: #ffffff;
  --bc-user-bg: #eaf1fd;
  --bc-code-bg: #f3f4f6;
  --bc-error-bg: #fdecea;
  --bc-error-fg: #8a1c12;
  --bc-notice-bg: #fff6db;
  --bc-notice-fg: #5c4300;
  --bc-shadow: 0 8px 28px rgba(0, 0, 0, 0.18);
  font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
  font-size: 15px;
  line-height: 1.5;
  color: var(--bc-fg);
}
.bookchat-root[data-theme='dark'] {
  --bc-bg: #1f2023;
  --bc-fg: #e6e6e6;
  --bc-muted: #a8adb4;
  --bc-border: #3d4047;
  --bc-accent: #6ea2ff;
  --bc-accent-fg: #0b1220;
  --bc-user-bg: #26334d;
  --bc-code-bg: #2b2d31;
  --bc-error-bg: #4a1f1b;
  --bc-error-fg: #ffcfc9;
  --bc-notice-bg: #463a12;
  --bc-notice-fg: #ffe8a3;
  --bc-shadow: 0 8px 28px rgba(0, 0, 0, 0.6);
}
.bookchat-root *,
.bookchat-root *::before,
.bookchat-root *::after {
  box-sizing: border-box;
}
.bookchat-launcher {
  position: fixed;
  right: 20px;
  /* --bookchat-lift: how far it rises to clear the page's back-to-top button and pagination */
  bottom: calc(20px + var(--bookchat-lift, 0px));
  z-index: 2147483000;
  display: inline-flex;
  align-items: center;
  gap: 8px;
  padding: 12px 18px;
  border: none;
  border-radius: 999px;
  background: var(--bc-accent);
  color: var(--bc-accent-fg);
  font: inherit;
  font-weight: 600;
  box-shadow: var(--bc-shadow);
  cursor: pointer;
}
.bookchat-launcher:focus-visible,
.bookchat-root button:focus-visible,
.bookchat-root a:focus-visible,
.bookchat-input:focus-visible {
  outline: 3px solid var(--bc-accent);
  outline-offset: 2px;
}
.bookchat-panel {
  position: fixed;
  right: 20px;
  bottom: 20px;
  z-index: 2147483001;
  display: flex;
  flex-direction: column;
  width: min(420px, calc(100vw - 40px));
  height: min(640px, calc(100vh - 40px));
  background: var(--bc-bg);
  color: var(--bc-fg);
  border: 1px solid var(--bc-border);
  border-radius: 12px;
  box-shadow: var(--bc-shadow);
  overflow: hidden;
}
.bookchat-panel[hidden] {
  display: none;
}
/* The page's own modal (the site search on Ctrl+K / ⌘K) is open: it goes above the widget. */
.bookchat-root[data-behind] .bookchat-launcher,
.bookchat-root[data-behind] .bookchat-panel,
.bookchat-root[data-behind] .bookchat-askselection {
  z-index: 1;
}
.bookchat-header {
  display: flex;
  align-items: center;
  gap: 6px;
  padding: 10px 12px;
  border-bottom: 1px solid var(--bc-border);
}
.bookchat-title {
  flex: 1;
  margin: 0;
  font-size: 16px;
  font-weight: 700;
  color: inherit;
}
.bookchat-iconbutton {
  border: 1px solid transparent;
  background: transparent;
  color: var(--bc-muted);
  font: inherit;
  font-size: 14px;
  padding: 4px 8px;
  border-radius: 6px;
  cursor: pointer;
}
.bookchat-iconbutton:hover:not(:disabled) {
  border-color: var(--bc-border);
  color: var(--bc-fg);
}
.bookchat-iconbutton:disabled {
  opacity: 0.45;
  cursor: default;
}
.bookchat-close {
  font-size: 22px;
  line-height: 1;
}
.bookchat-log {
  flex: 1;
  overflow-y: auto;
  padding: 12px;
  display: flex;
  flex-direction: column;
  gap: 10px;
}
.bookchat-empty {
  color: var(--bc-muted);
  font-size: 14px;
}
.bookchat-empty p {
  margin: 0 0 8px;
}
.bookchat-root kbd {
  border: 1px solid var(--bc-border);
  border-radius: 4px;
  padding: 0 4px;
  font-size: 12px;
}
.bookchat-msg {
  max-width: 100%;
  overflow-wrap: anywhere;
}
.bookchat-msg p {
  margin: 0 0 6px;
}
.bookchat-user {
  align-self: flex-end;
  max-width: 85%;
  background: var(--bc-user-bg);
  padding: 8px 12px;
  border-radius: 12px 12px 2px 12px;
}
.bookchat-user p:last-child {
  margin-bottom: 0;
}
.bookchat-quote,
.bookchat-md blockquote {
  margin: 0 0 6px;
  padding: 2px 8px;
  border-left: 3px solid var(--bc-accent);
  color: var(--bc-muted);
  font-size: 13px;
}
.bookchat-answer {
  align-self: stretch;
}
.bookchat-md h4,
.bookchat-md h5,
.bookchat-md h6 {
  margin: 8px 0 4px;
  font-size: 15px;
  color: inherit;
}
.bookchat-md ul,
.bookchat-md ol {
  margin: 0 0 6px;
  padding-left: 22px;
}
.bookchat-md code {
  background: var(--bc-code-bg);
  border-radius: 4px;
  padding: 1px 4px;
  font-size: 13px;
}
.bookchat-md pre.bookchat-code {
  background: var(--bc-code-bg);
  border-radius: 6px;
  padding: 8px 10px;
  overflow-x: auto;
  margin: 0 0 6px;
}
.bookchat-md pre.bookchat-code code {
  background: none;
  padding: 0;
  white-space: pre;
}
.bookchat-root a {
  color: var(--bc-accent);
  text-decoration: none;
}
.bookchat-root a:hover {
  text-decoration: underline;
}
.bookchat-cite {
  font-size: 12px;
  vertical-align: super;
  text-decoration: none;
  margin-left: 1px;
}
.bookchat-thinking,
.bookchat-stopped {
  color: var(--bc-muted);
  font-style: italic;
}
.bookchat-notice {
  background: var(--bc-notice-bg);
  color: var(--bc-notice-fg);
  border-radius: 6px;
  padding: 6px 10px;
}
.bookchat-error {
  display: flex;
  align-items: center;
  gap: 8px;
  flex-wrap: wrap;
  background: var(--bc-error-bg);
  color: var(--bc-error-fg);
  border-radius: 6px;
  padding: 6px 10px;
  font-size: 14px;
}
.bookchat-error-text {
  flex: 1;
}
.bookchat-retry,
.bookchat-send {
  border: none;
  border-radius: 8px;
  background: var(--bc-accent);
  color: var(--bc-accent-fg);
  font: inherit;
  font-weight: 600;
  padding: 6px 14px;
  cursor: pointer;
}
.bookchat-retry:disabled,
.bookchat-send:disabled {
  opacity: 0.5;
  cursor: default;
}
.bookchat-stop {
  background: var(--bc-error-fg);
  color: var(--bc-bg);
}
.bookchat-sources {
  margin-top: 6px;
  font-size: 13px;
}
.bookchat-sources-title {
  margin: 0 0 2px;
  font-weight: 600;
  color: var(--bc-muted);
}
.bookchat-sources ol {
  list-style: none;
  margin: 0;
  padding: 0;
}
.bookchat-source {
  margin: 2px 0;
  opacity: 0.75;
}
.bookchat-source-cited {
  opacity: 1;
  font-weight: 600;
}
.bookchat-source-n {
  color: var(--bc-muted);
}
.bookchat-feedback {
  display: flex;
  align-items: center;
  gap: 4px;
  margin-top: 4px;
  font-size: 13px;
  color: var(--bc-muted);
}
.bookchat-thumb {
  display: inline-flex;
  align-items: center;
  border: 1px solid var(--bc-border);
  background: transparent;
  color: var(--bc-muted);
  border-radius: 6px;
  padding: 3px 6px;
  cursor: pointer;
}
.bookchat-thumb:hover:not(:disabled) {
  color: var(--bc-fg);
}
.bookchat-thumb:disabled {
  cursor: default;
}
.bookchat-thumb[aria-pressed='true'] {
  color: var(--bc-accent);
  border-color: var(--bc-accent);
  background: var(--bc-user-bg);
}
.bookchat-composer {
  border-top: 1px solid var(--bc-border);
  padding: 8px 10px 10px;
}
.bookchat-attached {
  display: flex;
  align-items: flex-start;
  gap: 6px;
  font-size: 13px;
  color: var(--bc-muted);
  margin-bottom: 6px;
}
.bookchat-attached-text {
  flex: 1;
  font-style: italic;
}
.bookchat-inputrow {
  display: flex;
  gap: 8px;
  align-items: flex-end;
}
.bookchat-input {
  flex: 1;
  resize: none;
  font: inherit;
  color: var(--bc-fg);
  background: var(--bc-bg);
  border: 1px solid var(--bc-border);
  border-radius: 8px;
  padding: 6px 8px;
}
.bookchat-askselection {
  position: fixed;
  z-index: 2147483002;
  padding: 6px 12px;
  border: none;
  border-radius: 999px;
  background: var(--bc-accent);
  color: var(--bc-accent-fg);
  font: inherit;
  font-size: 14px;
  font-weight: 600;
  box-shadow: var(--bc-shadow);
  cursor: pointer;
}
.bookchat-sr-only {
  position: absolute;
  width: 1px;
  height: 1px;
  padding: 0;
  margin: -1px;
  overflow: hidden;
  clip: rect(0, 0, 0, 0);
  white-space: nowrap;
  border: 0;
}
/* Phones: the panel takes the whole screen; the button shows its icon only. */
@media (max-width: 600px) {
  .bookchat-panel {
    inset: 0;
    width: 100vw;
    height: 100vh;
    height: 100dvh;
    border-radius: 0;
    border: none;
  }
  .bookchat-launcher {
    right: 14px;
    bottom: calc(14px + var(--bookchat-lift, 0px));
    padding: 14px;
  }
  .bookchat-launcher-label {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0, 0, 0, 0);
  }
  .bookchat-input {
    font-size: 16px; /* no zoom-on-focus on iOS */
  }
}
@media (prefers-reduced-motion: no-preference) {
  .bookchat-panel {
    animation: bookchat-in 0.12s ease-out;
  }
}
@keyframes bookchat-in {
  from {
    opacity: 0;
    transform: translateY(8px);
  }
}
`;function zo(){let e=document.documentElement.getAttribute("data-theme");return e==="dark"||e==="light"?e:window.matchMedia?.("(prefers-color-scheme: dark)").matches?"dark":"light"}function Lt(){let[e,t]=A("light");return C(()=>{let o=()=>t(zo());o();let n=new MutationObserver(o);n.observe(document.documentElement,{attributes:!0,attributeFilter:["data-theme"]});let r=window.matchMedia?.("(prefers-color-scheme: dark)");return r?.addEventListener?.("change",o),()=>{n.disconnect(),r?.removeEventListener?.("change",o)}},[]),e}function It(e,t){let o=e.querySelector(`meta[name="${t}"]`)?.getAttribute("content")?.trim();return o||void 0}function Ot(e,t){let o={};if(!e)return t?{locale:t}:o;let n=It(e,"docusaurus_version"),r=It(e,"docusaurus_locale")??t;return n&&(o.version=n),r&&(o.locale=r),o}var _e=class{constructor(){this.buffer="";this.eventName="";this.dataLines=[];this.sawData=!1;this.pendingCR=!1}push(t){let o=[],n=t;this.pendingCR&&(n.startsWith(`
`)&&(n=n.slice(1)),this.pendingCR=!1),this.buffer+=n;let r=0;for(let s=0;s<this.buffer.length;s++){let i=this.buffer[s];if(i!==`
`&&i!=="\r")continue;let c=this.buffer.slice(r,s);i==="\r"&&(s+1<this.buffer.length?this.buffer[s+1]===`
`&&s++:this.pendingCR=!0),r=s+1,this.line(c,o)}return this.buffer=this.buffer.slice(r),o}end(){return this.buffer="",this.reset(),[]}reset(){this.eventName="",this.dataLines=[],this.sawData=!1}line(t,o){if(t===""){if(this.sawData){let i={event:this.eventName||"message",data:this.dataLines.join(`
`)};this.lastId!==void 0&&(i.id=this.lastId),o.push(i)}this.reset();return}if(t.startsWith(":"))return;let n=t.indexOf(":"),r=n===-1?t:t.slice(0,n),s=n===-1?"":t.slice(n+1);switch(s.startsWith(" ")&&(s=s.slice(1)),r){case"event":this.eventName=s;break;case"data":this.dataLines.push(s),this.sawData=!0;break;case"id":s.includes("\0")||(this.lastId=s);break;default:break}}};var O=class extends Error{constructor(o,n,r,s,i){super(n);this.kind=o;this.status=r;this.code=s;this.retryAfter=i;this.name="ApiError"}};function Wo(e,t){return`${e.trim().replace(/\/+$/,"")}${t}`}function Ko(e,t={}){let o={"Content-Type":"application/json",...t};return e.apiKey&&(o.Authorization=`Bearer ${e.apiKey}`),o}function jo(e,t=Date.now()){if(!e)return;if(/^\s*\d+\s*$/.test(e))return Number.parseInt(e,10);let o=Date.parse(e);if(!Number.isNaN(o))return Math.max(0,Math.ceil((o-t)/1e3))}async function Dt(e){let t,o=e.statusText||`HTTP ${e.status}`;try{let n=await e.json();n&&typeof n.error=="object"&&n.error&&(typeof n.error.code=="string"&&(t=n.error.code),typeof n.error.message=="string"&&(o=n.error.message))}catch{}return new O("http",o,e.status,t,jo(e.headers.get("Retry-After")))}function Vo(){let e=globalThis.crypto;return e&&typeof e.randomUUID=="function"?e.randomUUID():void 0}async function Pt(e,t,o,n,r){let s=e.fetch??fetch,i={};r&&(i.Accept=r);let c=Vo();c&&(i["X-Request-ID"]=c);try{return await s(Wo(e.backend,t),{method:"POST",headers:Ko(e,i),body:JSON.stringify(o),signal:n,credentials:"omit"})}catch(l){throw n?.aborted?l:new O("network",l instanceof Error?l.message:String(l))}}function he(e){try{return JSON.parse(e)}catch{throw new O("protocol","The service sent an event that is not JSON.")}}async function Me(e,t,o,n){let r=await Pt(e,"/chat/stream",t,n,"text/event-stream");if(!r.ok)throw await Dt(r);if(!r.body)throw new O("protocol","The service sent no stream.");let s=r.body.getReader(),i=new TextDecoder,c=new _e;try{for(;;){let l;try{l=await s.read()}catch(h){throw n?.aborted?h:new O("network","The connection dropped while the answer was arriving.")}let u=l.done?i.decode():i.decode(l.value,{stream:!0}),p=c.push(u);l.done&&p.push(...c.end());for(let h of p)switch(h.event){case"sources":{let a=he(h.data);o.onSources?.(Array.isArray(a.source_nodes)?a.source_nodes:[]);break}case"delta":{let a=he(h.data);typeof a.delta=="string"&&a.delta&&o.onDelta?.(a.delta);break}case"done":{let a=he(h.data);return o.onDone?.(a),a}case"error":{let a=he(h.data),f=typeof a.retry_after=="number"?a.retry_after:void 0;throw new O("stream",a.message||"The answer failed.",void 0,a.code,f)}default:break}if(l.done)throw new O("protocol","The answer stopped before it was complete.")}}finally{s.cancel().catch(()=>{})}}async function Ht(e,t,o){let n=await Pt(e,"/feedback",t,o);if(!n.ok)throw await Dt(n)}function Le(){let e=globalThis.location?.origin;return e&&e!=="null"?e:void 0}function Te(e){return e.trim().replace(/\/+$/,"")||Le()||"this site"}function Xo(e){let t=Le(),o=t?`its BOOKCHAT_CORS_ORIGINS includes this site's origin, ${t}`:"its BOOKCHAT_CORS_ORIGINS includes this site's origin";return`Cannot reach the chat service at ${Te(e)}. Check that it is running and that ${o}.`}function $t(e,t=""){if(e.kind==="network")return Xo(t);if(e.kind==="stream"){let n=e.retryAfter!==void 0?` Try again in ${e.retryAfter} s.`:"";return`The answer was interrupted: ${e.message}${n}`}if(e.kind==="protocol")return e.message;let o=e.message?` ${e.message}`:"";switch(e.status){case 401:return"The chat service refused this site’s access key (401).";case 403:{let n=Le(),r=n?` (${n})`:"";return e.code==="origin_not_allowed"?`The chat service at ${Te(t)} refused this site's origin${r} (403): add it to the service's BOOKCHAT_CORS_ORIGINS.`:`The chat service at ${Te(t)} refused the request (403).${o} If this site is new, check that the service's BOOKCHAT_CORS_ORIGINS includes its origin${r}.`}case 404:return"The chat service has no such endpoint (404): check the backend URL.";case 413:return"The question or the selected text is too long (413). Shorten it and try again.";case 422:return`The service could not accept this question (422).${o}`;case 429:return e.retryAfter!==void 0?`Too many questions right now (429). Try again in ${e.retryAfter} s.`:"Too many questions right now (429). Try again in a moment.";case 502:return"The answering model returned an error (502).";case 503:return"The answering service is unavailable right now (503).";case 504:return"The answer took too long (504).";default:return`The chat service failed (${e.status??"error"}).${o}`}}var Ie=/\[([^[\]\n]{1,200})\]/g;function Oe(e,t){let o=e.trim();if(/^\d+(\s*,\s*\d+)*$/.test(o)){let s=o.split(",").map(i=>Number.parseInt(i.trim(),10));return s.every(i=>i>=1&&i<=t.length)?s:null}let n=o.split(/\s*[,;]\s*/),r=[];for(let s of n){let i=t.findIndex(c=>c.metadata?.source===s);if(i===-1)return null;r.push(i+1)}return r.length?r:null}function Go(e,t){let o=[],n=0;Ie.lastIndex=0;for(let r=Ie.exec(e);r;r=Ie.exec(e)){let s=r.index+r[0].length;if(e[s]==="(")continue;let i=Oe(r[1]??"",t);i&&(r.index>n&&o.push({type:"text",text:e.slice(n,r.index)}),o.push({type:"cite",indices:i,raw:r[0]}),n=s)}return n<e.length&&o.push({type:"text",text:e.slice(n)}),o}function Ut(e,t){let o=new Set;for(let n of Go(e,t))n.type==="cite"&&n.indices.forEach(r=>o.add(r));return[...o].sort((n,r)=>n-r)}function De(e){let t=e.metadata??{},o=typeof t.title=="string"&&t.title?t.title:t.source??"Source",n=typeof t.heading=="string"?t.heading:"";return n&&n!==o?`${o} › ${n}`:String(o)}function Ft(e){let t=e.metadata??{};return typeof t.url!="string"||!t.url||!Pe(t.url)?null:!t.url.includes("#")&&typeof t.anchor=="string"&&t.anchor?`${t.url}#${t.anchor}`:t.url}function Pe(e){let t=e.trim();if(/[\u0000-\u001f]/.test(t))return!1;let o=/^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(t);return o?["http","https","mailto"].includes((o[1]??"").toLowerCase()):!0}var ee={messages:[]};function q(e,t,o){return{messages:e.messages.map(n=>n.id===t&&n.role==="assistant"?o(n):n)}}function Bt(e,t){switch(t.type){case"ask":return{messages:[...e.messages,t.user,{id:t.assistantId,role:"assistant",replyTo:t.user.id,content:"",status:"waiting",sources:[]}]};case"retry":return q(e,t.id,o=>({id:o.id,role:"assistant",replyTo:o.replyTo,content:"",status:"waiting",sources:[]}));case"sources":return q(e,t.id,o=>({...o,sources:t.sources,status:"streaming"}));case"delta":return q(e,t.id,o=>({...o,content:o.content+t.delta,status:"streaming"}));case"done":return q(e,t.id,o=>{let n=typeof t.done.answer=="string"?t.done.answer:o.content,r=Array.isArray(t.done.cited)?t.done.cited:Ut(n,o.sources);return{...o,content:n,status:"done",outcome:typeof t.done.outcome=="string"?t.done.outcome:"answered",cited:r,requestId:typeof t.done.request_id=="string"?t.done.request_id:o.requestId}});case"stopped":return q(e,t.id,o=>o.status==="waiting"||o.status==="streaming"?{...o,status:"stopped"}:o);case"failed":return q(e,t.id,o=>({...o,status:"error",error:t.error}));case"rate":return q(e,t.id,o=>({...o,rating:t.rating,feedback:t.feedback}));case"feedback":return q(e,t.id,o=>({...o,feedback:t.feedback}));case"clear":return ee}}function zt(e,t){let o=[];for(let n of e.messages){if(n.id===t)break;n.role==="user"?o.push({role:"user",content:n.content}):(n.status==="done"||n.status==="stopped")&&n.content.trim()&&o.push({role:"assistant",content:n.content})}return o.filter(n=>n.content.trim()).slice(-50).map(n=>({role:n.role,content:n.content.length>8e3?n.content.slice(0,8e3):n.content}))}function me(e){return e.messages.some(t=>t.role==="assistant"&&(t.status==="waiting"||t.status==="streaming"))}function Jo(e){return!e||typeof e!="object"||!Array.isArray(e.messages)?ee:{messages:e.messages.filter(o=>!!o&&typeof o=="object"&&typeof o.id=="string"&&(o.role==="user"||o.role==="assistant")).map(o=>o.role==="assistant"&&(o.status==="waiting"||o.status==="streaming")?{...o,status:"stopped",sources:Array.isArray(o.sources)?o.sources:[]}:o.role==="assistant"?{...o,sources:Array.isArray(o.sources)?o.sources:[]}:o)}}function Wt(e,t){if(!e)return ee;try{let o=e.getItem(t);return o?Jo(JSON.parse(o)):ee}catch{return ee}}function Kt(e,t,o){if(e)try{o.messages.length?e.setItem(t,JSON.stringify(o)):e.removeItem(t)}catch{}}function W(){try{return window.sessionStorage}catch{return}}var Ue="Explain this passage.",Qo=["page","version","locale"],jt=0;function Vt(e){return jt+=1,`${e}-${Date.now().toString(36)}-${jt}`}function Xt(e){return e.replace(/```[\s\S]*?(```|$)/g," (code) ").replace(/[*_`#>]+/g,"").replace(/\s+/g," ").trim()}function Zo(e,t){return e instanceof O?{text:$t(e,t),status:e.status,code:e.code,retryAfter:e.retryAfter}:{text:"Something went wrong while asking. Try again."}}function Gt({config:e,storageKey:t,sendPage:o,pathname:n,docsContext:r}){let[s,i]=pe(Bt,void 0,()=>Wt(W(),t)),[c,l]=A(""),u=I(s);u.current=s;let p=I(null),h=I(new Set);C(()=>Kt(W(),t,s),[s,t]),C(()=>()=>p.current?.abort(),[]);let a=P(async(_,v)=>{p.current?.abort();let x=new AbortController;p.current=x;let g={message:_.content},T=zt(u.current,_.id);T.length&&(g.history=T),_.selectedText&&(g.selected_text=_.selectedText);let D=h.current;o&&_.page&&!D.has("page")&&(g.page=_.page),_.version&&!D.has("version")&&(g.version=_.version),_.locale&&!D.has("locale")&&(g.locale=_.locale);let $={onSources:N=>i({type:"sources",id:v,sources:N}),onDelta:N=>i({type:"delta",id:v,delta:N})};try{let N;try{N=await Me(e,g,$,x.signal)}catch(M){let Be=M instanceof O&&M.status===422?Qo.filter(j=>g[j]!==void 0&&new RegExp(`\\b${j}\\b`).test(M.message)):[];if(Be.length){for(let j of Be)D.add(j),delete g[j];N=await Me(e,g,$,x.signal)}else throw M}i({type:"done",id:v,done:N});let R=typeof N.answer=="string"?N.answer:"";l(N.outcome==="not_in_book"?`Not in the book. ${Xt(R)}`:`Answer: ${Xt(R)}`)}catch(N){if(x.signal.aborted)i({type:"stopped",id:v}),l("Answer stopped.");else{let R=Zo(N,e.backend);i({type:"failed",id:v,error:R}),l(R.text)}}finally{p.current===x&&(p.current=null)}},[e,o]),f=P((_,v)=>{let x=(_.trim()||(v?Ue:"")).slice(0,4e3);if(!x||me(u.current))return;let g={id:Vt("u"),role:"user",content:x,page:n},T=r?.()??{};T.version&&(g.version=T.version),T.locale&&(g.locale=T.locale),v&&(g.selectedText=v.slice(0,8e3));let D=Vt("a");i({type:"ask",user:g,assistantId:D}),a(g,D)},[n,r,a]),b=P(_=>{let v=u.current.messages.find(x=>x.id===_.replyTo&&x.role==="user");!v||me(u.current)||(i({type:"retry",id:_.id}),a(v,_.id))},[a]),S=P(()=>p.current?.abort(),[]),y=P(()=>{p.current?.abort(),i({type:"clear"}),l("Conversation cleared.")},[]),k=P(async(_,v)=>{if(!_.requestId){i({type:"rate",id:_.id,rating:v,feedback:"unavailable"});return}i({type:"rate",id:_.id,rating:v,feedback:"sending"});try{await Ht(e,{request_id:_.requestId,rating:v}),i({type:"feedback",id:_.id,feedback:"sent"})}catch(x){let g=x instanceof O&&(x.status===404||x.status===405);i({type:"feedback",id:_.id,feedback:g?"unavailable":"failed"})}},[e]);return{messages:s.messages,busy:me(s),announcement:c,ask:f,retry:b,stop:S,clear:y,rate:k}}function en(e,t){if(e.body?.classList.contains("DocSearch--active"))return!0;for(let o of Array.from(e.querySelectorAll('[aria-modal="true"], .DocSearch-Modal'))){if(t?.contains(o)||o.hidden)continue;let n=o.getBoundingClientRect();if(n.width>0&&n.height>0)return!0}return!1}function Yt(e){let[t,o]=A(!1);return C(()=>{let n=0,r=()=>{n=0,o(en(document,e.current))},s=()=>{n||(n=window.requestAnimationFrame(r))},i=new MutationObserver(s);return i.observe(document.body,{childList:!0,subtree:!0,attributes:!0,attributeFilter:["class","aria-modal","hidden"]}),r(),()=>{i.disconnect(),n&&window.cancelAnimationFrame(n)}},[e]),t}var tn=12;function be(e){let t=Number.parseFloat(e);return Number.isFinite(t)?t:0}function on(e,t,o){let n=getComputedStyle(e);if(n.display==="none"||n.position!=="fixed")return;let r=be(n.width),s=be(n.height);if(!r||!s)return;let i=t-be(n.right),c=o-be(n.bottom);return{left:i-r,right:i,top:c-s,bottom:c}}function nn(e){let t=e.documentElement.clientWidth,o=e.documentElement.clientHeight,n=[];for(let r of Array.from(e.querySelectorAll(".theme-back-to-top-button"))){let s=on(r,t,o);s&&n.push(s)}for(let r of Array.from(e.querySelectorAll(".pagination-nav__link, [data-bookchat-avoid]"))){let s=r.getBoundingClientRect();s.width>0&&s.height>0&&s.bottom>0&&s.top<o&&n.push({left:s.left,right:s.right,top:s.top,bottom:s.bottom})}return n}function rn(e,t,o=tn){let n=0;for(let r=0;r<=t.length;r+=1){let s=!1;for(let i of t){let c=e.top-n,l=e.bottom-n,u=i.left<e.right+o&&i.right>e.left-o,p=i.top<l+o&&i.bottom>c-o;u&&p&&(n=Math.max(n,e.bottom-i.top+o),s=!0)}if(!s)break}return Math.round(n)}function Jt(e,t,o){let[n,r]=A(0);return C(()=>{if(!t)return;let s=0,i=n,c=()=>{s=0;let p=e.current;if(!p)return;let h=p.getBoundingClientRect(),a={left:h.left,right:h.right,top:h.top+i,bottom:h.bottom+i},f=rn(a,nn(document));f!==i&&(i=f,r(f))},l=()=>{s||(s=window.requestAnimationFrame(c))};c();let u=window.setTimeout(l,250);return window.addEventListener("scroll",l,{passive:!0}),window.addEventListener("resize",l),()=>{window.removeEventListener("scroll",l),window.removeEventListener("resize",l),window.clearTimeout(u),s&&window.cancelAnimationFrame(s)}},[t,o,e]),n}function Qt(e,t,o){let[n,r]=A(()=>W()?.getItem(`${e}:open`)==="1"),s=I(n);return C(()=>{try{W()?.setItem(`${e}:open`,n?"1":"0")}catch{}},[n,e]),C(()=>{n&&!s.current&&t.current?.focus(),!n&&s.current&&o.current?.focus(),s.current=n},[n,t,o]),C(()=>{n&&t.current?.focus({preventScroll:!0})},[]),[n,r]}var sn=150;function Zt(e){let[t,o]=A(null);C(()=>{let r,s=()=>{window.clearTimeout(r),r=window.setTimeout(()=>{let i=window.getSelection(),c=i?.toString().trim()??"";if(!i||i.rangeCount===0||c.length<2){o(null);return}let l=i.anchorNode;if(l&&e.current?.contains(l)){o(null);return}let u=i.getRangeAt(0).getBoundingClientRect();if(u.width===0&&u.height===0){o(null);return}let p=u.bottom+8,h=p+40>window.innerHeight?Math.max(8,u.top-44):p,a=Math.min(Math.max(8,u.left+u.width/2-70),window.innerWidth-150);o({text:c.slice(0,8e3),top:h,left:a})},sn)};return document.addEventListener("selectionchange",s),document.addEventListener("pointerup",s),()=>{window.clearTimeout(r),document.removeEventListener("selectionchange",s),document.removeEventListener("pointerup",s)}},[e]);let n=P(()=>o(null),[]);return[t,n]}var te="Ctrl+Shift+K",eo="Control+Shift+K Meta+Shift+K";function to(e,t,o){C(()=>{let n=r=>{if((r.ctrlKey||r.metaKey)&&r.shiftKey&&!r.altKey&&r.key.toLowerCase()==="k"){r.preventDefault(),r.stopPropagation(),t(s=>!s);return}if(r.key==="Escape"&&e&&!r.defaultPrevented){let s=document.activeElement;s&&o.current?.contains(s)&&(r.preventDefault(),t(!1))}};return document.addEventListener("keydown",n),()=>document.removeEventListener("keydown",n)},[e,t,o])}var an=0;function d(e,t,o,n,r,s){t||(t={});var i,c,l=t;if("ref"in l)for(c in l={},t)c=="ref"?i=t[c]:l[c]=t[c];var u={type:e,props:l,key:o,ref:i,__k:null,__:null,__b:0,__e:null,__c:null,constructor:void 0,__v:--an,__i:-1,__u:0,__source:r,__self:s};if(typeof e=="function"&&(i=e.defaultProps))for(c in i)l[c]===void 0&&(l[c]=i[c]);return m.vnode&&m.vnode(u),u}function oo({buttonRef:e,title:t,panelId:o,onOpen:n}){return d("button",{ref:e,type:"button",className:"bookchat-launcher","aria-expanded":!1,"aria-controls":o,"aria-keyshortcuts":eo,title:`${t} (${te})`,onClick:n,children:[d("svg",{"aria-hidden":"true",viewBox:"0 0 24 24",width:"22",height:"22",children:d("path",{fill:"currentColor",d:"M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm3 6v2h2v-2H7zm4 0v2h2v-2h-2zm4 0v2h2v-2h-2z"})}),d("span",{className:"bookchat-launcher-label",children:t})]})}function no({hint:e,onAsk:t}){return d("button",{type:"button",className:"bookchat-askselection",style:{top:e.top,left:e.left},onPointerDown:o=>o.preventDefault(),onMouseDown:o=>o.preventDefault(),onClick:t,children:"Ask about this"})}function ro({inputRef:e,attached:t,onDetach:o,busy:n,onAsk:r,onStop:s}){let[i,c]=A(""),l=p=>{p.preventDefault(),!n&&(r(i,t),c(""),o())},u=p=>{p.key==="Enter"&&!p.shiftKey&&!p.nativeEvent.isComposing&&(p.preventDefault(),l(p))};return d("form",{className:"bookchat-composer",onSubmit:l,children:[t?d("div",{className:"bookchat-attached",children:[d("span",{className:"bookchat-attached-label",children:"Asking about:"}),d("q",{className:"bookchat-attached-text",children:t.length>160?`${t.slice(0,160)}…`:t}),d("button",{type:"button",className:"bookchat-iconbutton","aria-label":"Remove the selected passage",onClick:o,children:"×"})]}):null,d("div",{className:"bookchat-inputrow",children:[d("textarea",{ref:e,className:"bookchat-input",value:i,maxLength:4e3,rows:2,placeholder:t?Ue:"Ask a question about the book…","aria-label":"Your question",onChange:p=>c(p.target.value),onKeyDown:u}),n?d("button",{type:"button",className:"bookchat-send bookchat-stop",onClick:s,children:"Stop"}):d("button",{type:"submit",className:"bookchat-send",disabled:!i.trim()&&!t,children:"Send"})]})]})}var io=/^ {0,3}(`{3,}|~{3,})\s*([\w+-]*)[^\n]*$/,ao=/^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/,oe=/^( {0,3})([-*+]|\d{1,9}[.)])\s+(.*)$/,co=/^ {0,3}([-*_])(\s*\1){2,}\s*$/,ge=/^ {0,3}>\s?(.*)$/;function so(e){return io.test(e)||ao.test(e)||oe.test(e)||ge.test(e)||co.test(e)}function uo(e){let t=e.replace(/\r\n?/g,`
`).split(`
`),o=[],n=0;for(;n<t.length;){let r=t[n]??"";if(!r.trim()){n++;continue}let s=io.exec(r);if(s){let u=s[1]??"```",p=[];for(n++;n<t.length&&!(t[n]??"").trim().startsWith(u);)p.push(t[n]??""),n++;n++,o.push({kind:"code",lang:s[2]??"",text:p.join(`
`)});continue}let i=ao.exec(r);if(i){o.push({kind:"heading",level:(i[1]??"#").length,text:i[2]??""}),n++;continue}if(co.test(r)){o.push({kind:"rule"}),n++;continue}if(ge.test(r)){let u=[];for(;n<t.length&&ge.test(t[n]??"");)u.push(ge.exec(t[n]??"")?.[1]??""),n++;o.push({kind:"quote",text:u.join(`
`)});continue}let c=oe.exec(r);if(c){let u=(c[1]??"").length,p=/\d/.test(c[2]??""),h=p?Number.parseInt(c[2]??"1",10):1,a=[],f=[];for(;n<t.length;){let b=t[n]??"",S=oe.exec(b);if(S&&(S[1]??"").length<=u+1&&/\d/.test(S[2]??"")===p){f.length&&a.push(f.join(`
`)),f=[S[3]??""],n++;continue}if(!b.trim()){let y=t[n+1]??"";if(/^\s{2,}\S/.test(y)||oe.exec(y)&&(oe.exec(y)?.[1]??"").length<=u+1){f.push(""),n++;continue}break}if(/^\s{2,}/.test(b)){f.push(b.replace(/^\s{2,4}/,"")),n++;continue}if(so(b))break;f.push(b.trim()),n++}f.length&&a.push(f.join(`
`)),o.push({kind:"list",ordered:p,start:h,items:a});continue}let l=[];for(;n<t.length&&(t[n]??"").trim()&&!(l.length&&so(t[n]??""));)l.push((t[n]??"").trim()),n++;o.push({kind:"para",text:l.join(`
`)})}return o}var cn=/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)|\*\*(?=\S)([\s\S]*?\S)\*\*|__(?=\S)([\s\S]*?\S)__|\*(?=[^\s*])([\s\S]*?[^\s*])\*|(?<![\w])_(?=[^\s_])([\s\S]*?[^\s_])_(?![\w])|\[([^[\]\n]+)\]\(([^()\s]+)(?:\s+"[^"\n]*")?\)|\[([^[\]\n]{1,200})\]|(\n)/g;function K(e,t,o){let n=[],r=0,s=0,i=new RegExp(cn.source,"g");for(let c=i.exec(e);c;c=i.exec(e)){let l=`${o}.${s++}`;if(c.index>r&&n.push(e.slice(r,c.index)),r=c.index+c[0].length,c[1]!==void 0)n.push(d("code",{children:(c[2]??"").replace(/^ (.*) $/,"$1")},l));else if(c[3]!==void 0||c[4]!==void 0)n.push(d("strong",{children:K(c[3]??c[4]??"",t,l)},l));else if(c[5]!==void 0||c[6]!==void 0)n.push(d("em",{children:K(c[5]??c[6]??"",t,l)},l));else if(c[7]!==void 0){let u=c[8]??"",p=K(c[7],t,l);n.push(Pe(u)?t.renderLink(u,p,l):d(L,{children:p},l))}else if(c[9]!==void 0){let u=Oe(c[9],t.sources);n.push(u?t.renderCite(u,c[0],l):c[0])}else c[10]!==void 0&&n.push(" ")}return r<e.length&&n.push(e.slice(r)),n}function lo(e,t,o){switch(e.kind){case"code":return d("pre",{className:"bookchat-code",children:d("code",{"data-lang":e.lang||void 0,children:e.text})},o);case"heading":{let n=e.level<=2?"h4":e.level===3?"h5":"h6";return d(n,{children:K(e.text,t,o)},o)}case"rule":return d("hr",{},o);case"quote":return d("blockquote",{children:po(e.text,t,o)},o);case"list":{let n=e.items.map((r,s)=>d("li",{children:un(r,t,`${o}.${s}`)},`${o}.${s}`));return e.ordered?d("ol",{start:e.start===1?void 0:e.start,children:n},o):d("ul",{children:n},o)}case"para":return d("p",{children:K(e.text,t,o)},o)}}function un(e,t,o){let n=uo(e),r=n[0];return n.length===1&&r&&r.kind==="para"?K(r.text,t,o):n.map((s,i)=>lo(s,t,`${o}.${i}`))}function po(e,t,o="md"){return uo(e).map((n,r)=>lo(n,t,`${o}.${r}`))}function fo({text:e,ctx:t}){return d("div",{className:"bookchat-md",children:po(e,t)})}function _o({down:e=!1}){return d("svg",{"aria-hidden":"true",viewBox:"0 0 24 24",width:"16",height:"16",style:e?{transform:"rotate(180deg)"}:void 0,children:d("path",{fill:"currentColor",d:"M2 10h4v11H2zM8 21h9.4a2 2 0 0 0 1.96-1.6l1.5-7A2 2 0 0 0 18.9 10H14l.8-4.1A1.8 1.8 0 0 0 13 3.8L8 10z"})})}var ln={sending:"",sent:"Thanks for the feedback.",unavailable:"Feedback is not available on this server.",failed:"Could not send the feedback."};function ho({answer:e,onRate:t}){let o=e.feedback==="sending"||e.feedback==="sent";return d("div",{className:"bookchat-feedback",children:[d("span",{className:"bookchat-feedback-label",children:"Helpful?"}),d("button",{type:"button",className:"bookchat-thumb","aria-label":"Helpful","aria-pressed":e.rating==="up",disabled:o,onClick:()=>{t(e,"up")},children:d(_o,{})}),d("button",{type:"button",className:"bookchat-thumb","aria-label":"Not helpful","aria-pressed":e.rating==="down",disabled:o,onClick:()=>{t(e,"down")},children:d(_o,{down:!0})}),d("span",{className:"bookchat-feedback-state",role:"status",children:e.feedback?ln[e.feedback]:""})]})}function Fe({href:e,className:t,title:o,children:n,InternalLink:r,onNavigate:s}){let i=null;try{i=new URL(e,window.location.href)}catch{i=null}if(i&&i.origin===window.location.origin){let c=`${i.pathname}${i.search}${i.hash}`;return r?d(r,{to:c,className:t,title:o,onClick:s,children:n}):d("a",{href:c,className:t,title:o,onClick:s,children:n})}return d("a",{href:i?i.href:e,className:t,title:o,target:"_blank",rel:"noopener noreferrer",children:n})}function qe({node:e,className:t,title:o,children:n,InternalLink:r,onNavigate:s}){let i=Ft(e);return i?d(Fe,{href:i,className:t,title:o,InternalLink:r,onNavigate:s,children:n}):d("span",{className:t,title:o,children:n})}function mo({message:e,...t}){return e.role==="user"?d("div",{className:"bookchat-msg bookchat-user",children:[e.selectedText?d("blockquote",{className:"bookchat-quote",children:e.selectedText.length>200?`${e.selectedText.slice(0,200)}…`:e.selectedText}):null,d("p",{children:e.content})]}):d(dn,{answer:e,...t})}function dn({answer:e,InternalLink:t,onNavigate:o,onRetry:n,onRate:r,busy:s}){let i=e.sources,c=e.outcome==="not_in_book",l=new Set(e.cited??[]),u={sources:i,renderCite:(p,h,a)=>d("span",{className:"bookchat-cites",children:p.map(f=>{let b=i[f-1];return b?d(qe,{node:b,className:"bookchat-cite",title:De(b),InternalLink:t,onNavigate:o,children:["[",f,"]"]},`${a}.${f}`):null})},a),renderLink:(p,h,a)=>d(Fe,{href:p,InternalLink:t,onNavigate:o,children:h},a)};return d("div",{className:`bookchat-msg bookchat-answer${c?" bookchat-notinbook":""}`,"data-status":e.status,"data-outcome":e.outcome,"aria-busy":e.status==="waiting"||e.status==="streaming",children:[c?d("p",{className:"bookchat-notice",children:[d("strong",{children:"Not in the book."})," The book does not cover this question."]}):null,e.status==="waiting"?d("p",{className:"bookchat-thinking",children:"Searching the book…"}):null,e.content?d(fo,{text:e.content,ctx:u}):null,e.status==="streaming"&&!e.content?d("p",{className:"bookchat-thinking",children:"Writing…"}):null,e.status==="stopped"?d("p",{className:"bookchat-stopped",children:"Stopped."}):null,e.status==="error"&&e.error?d("div",{className:"bookchat-error",role:"alert",children:[d("span",{className:"bookchat-error-text",children:e.error.text}),d("button",{type:"button",className:"bookchat-retry",onClick:()=>n(e),disabled:s,children:"Retry"})]}):null,i.length&&e.status!=="error"?d("div",{className:"bookchat-sources",children:[d("p",{className:"bookchat-sources-title",children:c?"Closest passages":"Sources"}),d("ol",{children:i.map((p,h)=>d("li",{className:l.has(h+1)||p.cited?"bookchat-source bookchat-source-cited":"bookchat-source",children:[d("span",{className:"bookchat-source-n",children:["[",h+1,"]"]})," ",d(qe,{node:p,className:"bookchat-source-link",InternalLink:t,onNavigate:o,children:De(p)})]},`${p.id}.${h}`))})]}):null,e.status==="done"?d(ho,{answer:e,onRate:r}):null]})}function bo({messages:e,open:t,...o}){let n=I(null);return C(()=>{let r=n.current;r&&(r.scrollTop=r.scrollHeight)},[e,t]),d("div",{ref:n,className:"bookchat-log",role:"region","aria-label":"Conversation",children:e.length===0?d("div",{className:"bookchat-empty",children:[d("p",{children:"Ask a question about this book: the answer cites the sections it comes from."}),d("p",{children:"Select text on a page and choose “Ask about this” to ask about a passage."}),d("p",{children:["Open or close this panel with ",d("kbd",{children:te}),"; ",d("kbd",{children:"Esc"})," closes it."]})]}):e.map(r=>d(mo,{message:r,...o},r.id))})}function go({id:e,title:t,open:o,onClose:n,onClear:r,chat:s,composer:i,InternalLink:c,onNavigate:l}){let u=Z();return d("section",{id:e,className:"bookchat-panel",role:"dialog","aria-modal":"false","aria-labelledby":u,hidden:!o,children:[d("header",{className:"bookchat-header",children:[d("h2",{id:u,className:"bookchat-title",children:t}),d("button",{type:"button",className:"bookchat-iconbutton",onClick:r,disabled:!s.messages.length,title:"Clear the conversation",children:"Clear"}),d("button",{type:"button",className:"bookchat-iconbutton bookchat-close",onClick:n,"aria-label":"Close the chat (Esc)",title:"Close (Esc)",children:"×"})]}),d(bo,{messages:s.messages,open:o,InternalLink:c,onNavigate:l,onRetry:s.retry,onRate:s.rate,busy:s.busy}),d(ro,{...i,busy:s.busy,onAsk:s.ask,onStop:s.stop})]})}var pn="(max-width: 600px)";function vo(e){let{backend:t,apiKey:o,title:n="Ask the book",sendPage:r=!0,colorMode:s,pathname:i,locale:c,InternalLink:l}=e,u=Q(()=>({backend:t,apiKey:o}),[t,o]),p=`bookchat:v1:${t||"same-origin"}`,h=I(null),a=I(null),f=I(null),b=Z(),S=P(()=>Ot(typeof document>"u"?void 0:document,c),[c]),y=Gt({config:u,storageKey:p,sendPage:r,pathname:i,docsContext:S}),[k,_]=Qt(p,f,a);to(k,_,h);let v=Yt(h),x=Jt(a,!k,i),[g,T]=Zt(h),[D,$]=A(null),N=()=>{g&&($(g.text),T(),_(!0),window.setTimeout(()=>f.current?.focus(),0))},R=()=>{y.clear(),f.current?.focus()},M=()=>{window.matchMedia?.(pn).matches&&_(!1)};return d("div",{ref:h,className:"bookchat-root","data-theme":s,"data-bookchat":"","data-behind":v?"":void 0,style:{"--bookchat-lift":`${x}px`},children:[g&&!y.busy?d(no,{hint:g,onAsk:N}):null,k?null:d(oo,{buttonRef:a,title:n,panelId:b,onOpen:()=>_(!0)}),d(go,{id:b,title:n,open:k,onClose:()=>_(!1),onClear:R,chat:y,composer:{inputRef:f,attached:D,onDetach:()=>$(null)},InternalLink:l,onNavigate:M}),d("div",{className:"bookchat-sr-only","aria-live":"polite","aria-atomic":"true",role:"status",children:y.announcement})]})}function fn(e){let t=Lt(),[o,n]=A(window.location.pathname);return C(()=>{let r=()=>n(window.location.pathname);return window.addEventListener("popstate",r),()=>window.removeEventListener("popstate",r)},[]),d(vo,{...e,colorMode:t,pathname:o})}function _n(e){let t=e?.dataset??{},o={backend:(t.backend??"").trim().replace(/\/+$/,"")};return t.apiKey&&(o.apiKey=t.apiKey),t.title&&(o.title=t.title),t.sendPage==="false"&&(o.sendPage=!1),o}var hn=document.currentScript;function yo(){if(document.querySelector("[data-bookchat-host]"))return;let e=document.createElement("style");e.setAttribute("data-bookchat-style",""),e.textContent=Mt,document.head.appendChild(e);let t=document.createElement("div");t.setAttribute("data-bookchat-host",""),document.body.appendChild(t),Tt(t).render(d(fn,{..._n(hn)}))}document.readyState==="loading"?document.addEventListener("DOMContentLoaded",yo):yo();})();
