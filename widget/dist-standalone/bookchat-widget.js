/*! bookchat widget (standalone) | includes Preact, MIT License, Copyright (c) 2015-present Jason Miller */
"use strict";(()=>{var ce,m,ze,pn,$,Ue,We,Be,be,oe,K,je,ye,ge,ve,fn,se={},ae=[],_n=/acit|ex(?:s|g|n|p|$)|rph|grid|ows|mnc|ntw|ine[ch]|zoo|^ord|itera/i,V=Array.isArray;function O(e,t){for(var n in t)e[n]=t[n];return e}function ke(e){e&&e.parentNode&&e.parentNode.removeChild(e)}function X(e,t,n){var o,r,s,a={};for(s in t)s=="key"?o=t[s]:s=="ref"?r=t[s]:a[s]=t[s];if(arguments.length>2&&(a.children=arguments.length>3?ce.call(arguments,2):n),typeof e=="function"&&e.defaultProps!=null)for(s in e.defaultProps)a[s]===void 0&&(a[s]=e.defaultProps[s]);return re(e,a,o,r,null)}function re(e,t,n,o,r){var s={type:e,props:t,key:n,ref:o,__k:null,__:null,__b:0,__e:null,__c:null,constructor:void 0,__v:r??++ze,__i:-1,__u:0};return r==null&&m.vnode!=null&&m.vnode(s),s}function A(e){return e.children}function L(e,t){this.props=e,this.context=t}function q(e,t){if(t==null)return e.__?q(e.__,e.__i+1):null;for(var n;t<e.__k.length;t++)if((n=e.__k[t])!=null&&n.__e!=null)return n.__e;return typeof e.type=="function"?q(e):null}function hn(e){if(e.__P&&e.__d){var t=e.__v,n=t.__e,o=[],r=[],s=O({},t);s.__v=t.__v+1,m.vnode&&m.vnode(s),xe(e.__P,s,t,e.__n,e.__P.namespaceURI,32&t.__u?[n]:null,o,n??q(t),!!(32&t.__u),r),s.__v=t.__v,s.__.__k[s.__i]=s,Je(o,s,r),t.__e=t.__=null,s.__e!=n&&Ke(s)}}function Ke(e){if((e=e.__)!=null&&e.__c!=null)return e.__e=e.__c.base=null,e.__k.some(function(t){if(t!=null&&t.__e!=null)return e.__e=e.__c.base=t.__e}),Ke(e)}function $e(e){(!e.__d&&(e.__d=!0)&&$.push(e)&&!ie.__r++||Ue!=m.debounceRendering)&&((Ue=m.debounceRendering)||We)(ie)}function ie(){try{for(var e,t=1;$.length;)$.length>t&&$.sort(Be),e=$.shift(),t=$.length,hn(e)}finally{$.length=ie.__r=0}}function Ve(e,t,n,o,r,s,a,c,d,u,p){var _,i,f,g,k,v,b=o&&o.__k||ae,h=t.length;for(d=mn(n,t,b,d,h),_=0;_<h;_++)(f=n.__k[_])!=null&&(i=f.__i!=-1&&b[f.__i]||se,f.__i=_,v=xe(e,f,i,r,s,a,c,d,u,p),g=f.__e,f.ref&&i.ref!=f.ref&&(i.ref&&we(i.ref,null,f),p.push(f.ref,f.__c||g,f)),k==null&&g!=null&&(k=g),4&f.__u?(d=Xe(f,d,e),i.__e&&(i.__e=null)):typeof f.type=="function"&&v!==void 0?d=v:g&&(d=g.nextSibling),f.__u&=-7);return n.__e=k,d}function mn(e,t,n,o,r){var s,a,c,d,u,p=n.length,_=p,i=0;for(e.__k=new Array(r),s=0;s<r;s++)(a=t[s])!=null&&typeof a!="boolean"&&typeof a!="function"?(typeof a=="string"||typeof a=="number"||typeof a=="bigint"||a.constructor==String?a=e.__k[s]=re(null,a,null,null,null):V(a)?a=e.__k[s]=re(A,{children:a},null,null,null):a.constructor===void 0&&a.__b>0?a=e.__k[s]=re(a.type,a.props,a.key,a.ref?a.ref:null,a.__v):e.__k[s]=a,d=s+i,a.__=e,a.__b=e.__b+1,c=null,(u=a.__i=bn(a,n,d,_))!=-1&&(_--,(c=n[u])&&(c.__u|=2)),c==null||c.__v==null?(u==-1&&(r>p?i--:r<p&&i++),typeof a.type!="function"&&(a.__u|=4)):u!=d&&(u==d-1?i--:u==d+1?i++:(u>d?i--:i++,a.__u|=4))):e.__k[s]=null;if(_)for(s=0;s<p;s++)(c=n[s])!=null&&(2&c.__u)==0&&(c.__e==o&&(o=q(c)),Qe(c,c));return o}function Xe(e,t,n){var o,r;if(typeof e.type=="function"){for(o=e.__k,r=0;o&&r<o.length;r++)o[r]&&(o[r].__=e,t=Xe(o[r],t,n));return t}e.__e!=t&&(t&&e.type&&!t.parentNode&&(t=q(e)),t=n.insertBefore(e.__e,t||null));do t=t&&t.nextSibling;while(t!=null&&t.nodeType==8);return t}function Y(e,t){return t=t||[],e==null||typeof e=="boolean"||(V(e)?e.some(function(n){Y(n,t)}):t.push(e)),t}function bn(e,t,n,o){var r,s,a,c=e.key,d=e.type,u=t[n],p=u!=null&&(2&u.__u)==0;if(u===null&&c==null||p&&c==u.key&&d==u.type)return n;if(o>(p?1:0)){for(r=n-1,s=n+1;r>=0||s<t.length;)if((u=t[a=r>=0?r--:s++])!=null&&(2&u.__u)==0&&c==u.key&&d==u.type)return a}return-1}function Fe(e,t,n){t[0]=="-"?e.setProperty(t,n??""):e[t]=n==null?"":typeof n!="number"||_n.test(t)?n:n+"px"}function ne(e,t,n,o,r){var s,a;e:if(t=="style")if(typeof n=="string")e.style.cssText=n;else{if(typeof o=="string"&&(e.style.cssText=o=""),o)for(t in o)n&&t in n||Fe(e.style,t,"");if(n)for(t in n)o&&n[t]==o[t]||Fe(e.style,t,n[t])}else if(t[0]=="o"&&t[1]=="n")s=t!=(t=t.replace(je,"$1")),a=t.toLowerCase(),t=a in e||t=="onFocusOut"||t=="onFocusIn"?a.slice(2):t.slice(2),e.l||(e.l={}),e.l[t+s]=n,n?o?n[K]=o[K]:(n[K]=ye,e.addEventListener(t,s?ve:ge,s)):e.removeEventListener(t,s?ve:ge,s);else{if(r=="http://www.w3.org/2000/svg")t=t.replace(/xlink(H|:h)/,"h").replace(/sName$/,"s");else if(t!="width"&&t!="height"&&t!="href"&&t!="list"&&t!="form"&&t!="tabIndex"&&t!="download"&&t!="rowSpan"&&t!="colSpan"&&t!="role"&&t!="popover"&&t in e)try{e[t]=n??"";break e}catch{}typeof n=="function"||(n==null||n===!1&&t[4]!="-"?e.removeAttribute(t):e.setAttribute(t,t=="popover"&&n==1?"":n))}}function qe(e){return function(t){if(this.l){var n=this.l[t.type+e];if(t[oe]==null)t[oe]=ye++;else if(t[oe]<n[K])return;return n(m.event?m.event(t):t)}}}function xe(e,t,n,o,r,s,a,c,d,u){var p,_,i,f,g,k,v,b,h,y,x,N,I,E,P,U,D=t.type;if(t.constructor!==void 0)return null;128&n.__u&&(d=!!(32&n.__u),s=[c=t.__e=n.__e]),(p=m.__b)&&p(t);e:if(typeof D=="function"){_=a.length;try{if(h=t.props,y=D.prototype&&D.prototype.render,x=(p=D.contextType)&&o[p.__c],N=p?x?x.props.value:p.__:o,n.__c?b=(i=t.__c=n.__c).__=i.__E:(y?t.__c=i=new D(h,N):(t.__c=i=new L(h,N),i.constructor=D,i.render=vn),x&&x.sub(i),i.state||(i.state={}),i.__n=o,f=i.__d=!0,i.__h=[],i._sb=[]),y&&i.__s==null&&(i.__s=i.state),y&&D.getDerivedStateFromProps!=null&&(i.__s==i.state&&(i.__s=O({},i.__s)),O(i.__s,D.getDerivedStateFromProps(h,i.__s))),g=i.props,k=i.state,i.__v=t,f)y&&D.getDerivedStateFromProps==null&&i.componentWillMount!=null&&i.componentWillMount(),y&&i.componentDidMount!=null&&i.__h.push(i.componentDidMount);else{if(y&&D.getDerivedStateFromProps==null&&h!==g&&i.componentWillReceiveProps!=null&&i.componentWillReceiveProps(h,N),t.__v==n.__v||!i.__e&&i.shouldComponentUpdate!=null&&i.shouldComponentUpdate(h,i.__s,N)===!1){t.__v!=n.__v&&(i.props=h,i.state=i.__s,i.__d=!1),t.__e=n.__e,t.__k=n.__k,t.__k.some(function(z){z&&(z.__=t)}),ae.push.apply(i.__h,i._sb),i._sb=[],i.__h.length&&a.push(i),c=q(n);break e}i.componentWillUpdate!=null&&i.componentWillUpdate(h,i.__s,N),y&&i.componentDidUpdate!=null&&i.__h.push(function(){i.componentDidUpdate(g,k,v)})}if(i.context=N,i.props=h,i.__P=e,i.__e=!1,I=m.__r,E=0,y)i.state=i.__s,i.__d=!1,I&&I(t),p=i.render(i.props,i.state,i.context),ae.push.apply(i.__h,i._sb),i._sb=[];else do i.__d=!1,I&&I(t),p=i.render(i.props,i.state,i.context),i.state=i.__s;while(i.__d&&++E<25);i.state=i.__s,i.getChildContext!=null&&(o=O(O({},o),i.getChildContext())),y&&!f&&i.getSnapshotBeforeUpdate!=null&&(v=i.getSnapshotBeforeUpdate(g,k)),P=p!=null&&p.type===A&&p.key==null?Ge(p.props.children):p,c=Ve(e,V(P)?P:[P],t,n,o,r,s,a,c,d,u),i.base=t.__e,t.__u&=-161,i.__h.length&&a.push(i),b&&(i.__E=i.__=null)}catch(z){if(a.length=_,t.__v=null,d||s!=null){if(z.then){for(t.__u|=d?160:128;c&&c.nodeType==8&&c.nextSibling;)c=c.nextSibling;s!=null&&(s[s.indexOf(c)]=null),t.__e=c}else if(s!=null)for(U=s.length;U--;)ke(s[U])}else t.__e=n.__e;t.__k==null&&(t.__k=n.__k||[]),z.then||Ye(t),m.__e(z,t,n)}}else s==null&&t.__v==n.__v?(t.__k=n.__k,t.__e=n.__e):c=t.__e=gn(n.__e,t,n,o,r,s,a,d,u);return(p=m.diffed)&&p(t),128&t.__u?void 0:c}function Ye(e){e&&(e.__c&&(e.__c.__e=!0),e.__k&&e.__k.some(Ye))}function Je(e,t,n){for(var o=0;o<n.length;o++)we(n[o],n[++o],n[++o]);m.__c&&m.__c(t,e),e.some(function(r){try{e=r.__h,r.__h=[],e.some(function(s){s.call(r)})}catch(s){m.__e(s,r.__v)}})}function Ge(e){return typeof e!="object"||e==null||e.__b>0?e:V(e)?e.map(Ge):e.constructor!==void 0?null:O({},e)}function gn(e,t,n,o,r,s,a,c,d){var u,p,_,i,f,g,k,v=n.props||se,b=t.props,h=t.type;if(h=="svg"?r="http://www.w3.org/2000/svg":h=="math"?r="http://www.w3.org/1998/Math/MathML":r||(r="http://www.w3.org/1999/xhtml"),s!=null){for(u=0;u<s.length;u++)if((f=s[u])&&"setAttribute"in f==!!h&&(h?f.localName==h:f.nodeType==3)){e=f,s[u]=null;break}}if(e==null){if(h==null)return document.createTextNode(b);e=document.createElementNS(r,h,b.is&&b),c&&(m.__m&&m.__m(t,s),c=!1),s=null}if(h==null)v===b||c&&e.data==b||(e.data=b);else{if(s=h=="textarea"&&b.defaultValue!=null?null:s&&ce.call(e.childNodes),!c&&s!=null)for(v={},u=0;u<e.attributes.length;u++)v[(f=e.attributes[u]).name]=f.value;for(u in v)f=v[u],u=="dangerouslySetInnerHTML"?_=f:u=="children"||u in b||u=="value"&&"defaultValue"in b||u=="checked"&&"defaultChecked"in b||ne(e,u,null,f,r);for(u in b)f=b[u],u=="children"?i=f:u=="dangerouslySetInnerHTML"?p=f:u=="value"?g=f:u=="checked"?k=f:c&&typeof f!="function"||v[u]===f||ne(e,u,f,v[u],r);if(p)c||_&&(p.__html==_.__html||p.__html==e.innerHTML)||(e.innerHTML=p.__html),t.__k=[];else if(_&&(e.innerHTML=""),Ve(t.type=="template"?e.content:e,V(i)?i:[i],t,n,o,h=="foreignObject"?"http://www.w3.org/1999/xhtml":r,s,a,s?s[0]:n.__k&&q(n,0),c,d),s!=null)for(u=s.length;u--;)ke(s[u]);c&&h!="textarea"||(u="value",h=="progress"&&g==null?e.removeAttribute("value"):g!=null&&(g!==e[u]||h=="progress"&&!g||h=="option"&&g!=v[u])&&ne(e,u,g,v[u],r),u="checked",k!=null&&k!=e[u]&&ne(e,u,k,v[u],r))}return e}function we(e,t,n){try{if(typeof e=="function"){var o=typeof e.__u=="function";o&&e.__u(),o&&t==null||(e.__u=e(t))}else e.current=t}catch(r){m.__e(r,n)}}function Qe(e,t,n){var o,r;if(m.unmount&&m.unmount(e),(o=e.ref)&&(o.current&&o.current!=e.__e||we(o,null,t)),(o=e.__c)!=null){if(o.componentWillUnmount)try{o.componentWillUnmount()}catch(s){m.__e(s,t)}o.base=o.__P=o.__n=null}if(o=e.__k)for(r=0;r<o.length;r++)o[r]&&Qe(o[r],t,n||typeof e.type!="function");n||ke(e.__e),e.__c=e.__=e.__e=void 0}function vn(e,t,n){return this.constructor(e,n)}function Se(e,t,n){var o,r,s,a;t==document&&(t=document.documentElement),m.__&&m.__(e,t),r=(o=typeof n=="function")?null:n&&n.__k||t.__k,s=[],a=[],xe(t,e=(!o&&n||t).__k=X(A,null,[e]),r||se,se,t.namespaceURI,!o&&n?[n]:r?null:t.firstChild?ce.call(t.childNodes):null,s,!o&&n?n:r?r.__e:t.firstChild,o,a),Je(s,e,a),e.props.children=null}ce=ae.slice,m={__e:function(e,t,n,o){for(var r,s,a;t=t.__;)if((r=t.__c)&&!r.__)try{if((s=r.constructor)&&s.getDerivedStateFromError!=null&&(r.setState(s.getDerivedStateFromError(e)),a=r.__d),r.componentDidCatch!=null&&(r.componentDidCatch(e,o||{}),a=r.__d),a)return r.__E=r}catch(c){e=c}throw e}},ze=0,pn=function(e){return e!=null&&e.constructor===void 0},L.prototype.setState=function(e,t){var n;n=this.__s!=null&&this.__s!=this.state?this.__s:this.__s=O({},this.state),typeof e=="function"&&(e=e(O({},n),this.props)),e&&O(n,e),e!=null&&this.__v&&(t&&this._sb.push(t),$e(this))},L.prototype.forceUpdate=function(e){this.__v&&(this.__e=!0,e&&this.__h.push(e),$e(this))},L.prototype.render=A,$=[],We=typeof Promise=="function"?Promise.prototype.then.bind(Promise.resolve()):setTimeout,Be=function(e,t){return e.__v.__b-t.__v.__b},ie.__r=0,be=Math.random().toString(8),oe="__d"+be,K="__a"+be,je=/(PointerCapture)$|Capture$/i,ye=0,ge=qe(!1),ve=qe(!0),fn=0;var W,w,Ce,Ze,J=0,it=[],S=m,et=S.__b,tt=S.__r,nt=S.diffed,ot=S.__c,rt=S.unmount,st=S.__;function le(e,t){S.__h&&S.__h(w,e,J||t),J=0;var n=w.__H||(w.__H={__:[],__h:[]});return e>=n.__.length&&n.__.push({}),n.__[e]}function R(e){return J=1,de(ut,e)}function de(e,t,n){var o=le(W++,2);if(o.t=e,!o.__c&&(o.__=[n?n(t):ut(void 0,t),function(c){var d=o.__N?o.__N[0]:o.__[0],u=o.t(d,c);d!==u&&(o.__N=[u,o.__[1]],o.__c.setState({}))}],o.__c=w,!w.__f)){var r=function(c,d,u){if(!o.__c.__H)return!0;var p=!1,_=o.__c.props!==c;if(o.__c.__H.__.some(function(f){if(f.__N){p=!0;var g=f.__[0];f.__=f.__N,f.__N=void 0,g!==f.__[0]&&(_=!0)}}),s){var i=s.call(this,c,d,u);return p?i||_:i}return!p||_};w.__f=!0;var s=w.shouldComponentUpdate,a=w.componentWillUpdate;w.componentWillUpdate=function(c,d,u){if(this.__e){var p=s;s=void 0,r(c,d,u),s=p}a&&a.call(this,c,d,u)},w.shouldComponentUpdate=r}return o.__N||o.__}function C(e,t){var n=le(W++,3);!S.__s&&ct(n.__H,t)&&(n.__=e,n.u=t,w.__H.__h.push(n))}function T(e){return J=5,G(function(){return{current:e}},[])}function G(e,t){var n=le(W++,7);return ct(n.__H,t)&&(n.__=e(),n.__H=t,n.__h=e),n.__}function H(e,t){return J=8,G(function(){return e},t)}function Q(){var e=le(W++,11);if(!e.__){for(var t=w.__v;t!==null&&!t.__m&&t.__!==null;)t=t.__;var n=t.__m||(t.__m=[0,0]);e.__="P"+n[0]+"-"+n[1]++}return e.__}function yn(){for(var e;e=it.shift();){var t=e.__H;if(e.__P&&t)try{t.__h.some(ue),t.__h.some(Ee),t.__h=[]}catch(n){t.__h=[],S.__e(n,e.__v)}}}S.__b=function(e){w=null,et&&et(e)},S.__=function(e,t){e&&t.__k&&t.__k.__m&&(e.__m=t.__k.__m),st&&st(e,t)},S.__r=function(e){tt&&tt(e),W=0;var t=(w=e.__c).__H;t&&(Ce===w?(t.__h=[],w.__h=[],t.__.some(function(n){n.__N&&(n.__=n.__N),n.u=n.__N=void 0})):(t.__h.some(ue),t.__h.some(Ee),t.__h=[],W=0)),Ce=w},S.diffed=function(e){nt&&nt(e);var t=e.__c;t&&t.__H&&(t.__H.__h.length&&(it.push(t)!==1&&Ze===S.requestAnimationFrame||((Ze=S.requestAnimationFrame)||kn)(yn)),t.__H.__.some(function(n){n.u&&(n.__H=n.u,n.u=void 0)})),Ce=w=null},S.__c=function(e,t){t.some(function(n){try{n.__h.some(ue),n.__h=n.__h.filter(function(o){return!o.__||Ee(o)})}catch(o){t.some(function(r){r.__h&&(r.__h=[])}),t=[],S.__e(o,n.__v)}}),ot&&ot(e,t)},S.unmount=function(e){rt&&rt(e);var t,n=e.__c;n&&n.__H&&(n.__H.__.some(function(o){try{ue(o)}catch(r){t=r}}),n.__H=void 0,t&&S.__e(t,n.__v))};var at=typeof requestAnimationFrame=="function";function kn(e){var t,n=function(){clearTimeout(o),at&&cancelAnimationFrame(t),setTimeout(e)},o=setTimeout(n,35);at&&(t=requestAnimationFrame(n))}function ue(e){var t=w,n=e.__c;typeof n=="function"&&(e.__c=void 0,n()),w=t}function Ee(e){var t=w;e.__c=e.__(),w=t}function ct(e,t){return!e||e.length!==t.length||t.some(function(n,o){return n!==e[o]})}function ut(e,t){return typeof t=="function"?t(e):t}function Sn(e,t){for(var n in t)e[n]=t[n];return e}function lt(e,t){for(var n in e)if(n!=="__source"&&!(n in t))return!0;for(var o in t)if(o!=="__source"&&e[o]!==t[o])return!0;return!1}function dt(e,t){this.props=e,this.context=t}(dt.prototype=new L).isPureReactComponent=!0,dt.prototype.shouldComponentUpdate=function(e,t){return lt(this.props,e)||lt(this.state,t)};var pt=m.__b;m.__b=function(e){e.type&&e.type.__f&&e.ref&&(e.props.ref=e.ref,e.ref=null),pt&&pt(e)};var lo=typeof Symbol<"u"&&Symbol.for&&Symbol.for("react.forward_ref")||3911;var Cn=m.__e;m.__e=function(e,t,n,o){if(e.then){for(var r,s=t;s=s.__;)if((r=s.__c)&&r.__c)return t.__e==null&&(t.__e=n.__e,t.__k=n.__k||[]),r.__c(e,t)}Cn(e,t,n,o)};var ft=m.unmount;function vt(e,t,n){return e&&(e.__c&&e.__c.__H&&(e.__c.__H.__.forEach(function(o){typeof o.__c=="function"&&o.__c()}),e.__c.__H=null),(e=Sn({},e)).__c!=null&&(e.__c.__P===n&&(e.__c.__P=t),e.__c.__e=!0,e.__c=null),e.__k=e.__k&&e.__k.map(function(o){return vt(o,t,n)})),e}function yt(e,t,n){return e&&n&&(e.__v=null,e.__k=e.__k&&e.__k.map(function(o){return yt(o,t,n)}),e.__c&&e.__c.__P===t&&(e.__e&&n.appendChild(e.__e),e.__c.__e=!0,e.__c.__P=n)),e}function Ne(){this.__u=0,this.o=null,this.__b=null}function kt(e){var t=e.__&&e.__.__c;return t&&t.__a&&t.__a(e)}function pe(){this.i=null,this.l=null}m.unmount=function(e){var t=e.__c;t&&(t.__z=!0),t&&t.__R&&t.__R(),t&&32&e.__u&&(e.type=null),ft&&ft(e)},(Ne.prototype=new L).__c=function(e,t){var n=t.__c,o=this;o.o==null&&(o.o=[]),o.o.push(n);var r=kt(o.__v),s=!1,a=function(){s||o.__z||(s=!0,n.__R=null,r?r(d):d())};n.__R=a;var c=n.__P;n.__P=null;var d=function(){if(!--o.__u){if(o.state.__a){var u=o.state.__a;o.__v.__k[0]=yt(u,u.__c.__P,u.__c.__O)}var p;for(o.setState({__a:o.__b=null});p=o.o.pop();)p.__P=c,p.forceUpdate()}};o.__u++||32&t.__u||o.setState({__a:o.__b=o.__v.__k[0]}),e.then(a,a)},Ne.prototype.componentWillUnmount=function(){this.o=[]},Ne.prototype.render=function(e,t){if(this.__b){if(this.__v.__k){var n=document.createElement("div"),o=this.__v.__k[0].__c;this.__v.__k[0]=vt(this.__b,n,o.__O=o.__P)}this.__b=null}var r=t.__a&&X(A,null,e.fallback);return r&&(r.__u&=-33),[X(A,null,t.__a?null:e.children),r]};var _t=function(e,t,n){if(++n[1]===n[0]&&e.l.delete(t),e.props.revealOrder&&(e.props.revealOrder[0]!=="t"||!e.l.size))for(n=e.i;n;){for(;n.length>3;)n.pop()();if(n[1]<n[0])break;e.i=n=n[2]}};(pe.prototype=new L).__a=function(e){var t=this,n=kt(t.__v),o=t.l.get(e);return o[0]++,function(r){var s=function(){t.props.revealOrder?(o.push(r),_t(t,e,o)):r()};n?n(s):s()}},pe.prototype.render=function(e){this.i=null,this.l=new Map;var t=Y(e.children);e.revealOrder&&e.revealOrder[0]==="b"&&t.reverse();for(var n=t.length;n--;)this.l.set(t[n],this.i=[1,0,this.i]);return e.children},pe.prototype.componentDidUpdate=pe.prototype.componentDidMount=function(){var e=this;this.l.forEach(function(t,n){_t(e,n,t)})};var En=typeof Symbol<"u"&&Symbol.for&&Symbol.for("react.element")||60103,Nn=/^(?:accent|alignment|arabic|baseline|cap|clip(?!PathU)|color|dominant|fill|flood|font|glyph(?!R)|horiz|image(!S)|letter|lighting|marker(?!H|W|U)|overline|paint|pointer|shape|stop|strikethrough|stroke|text(?!L)|transform|underline|unicode|units|v|vector|vert|word|writing|x(?!C))[A-Z]/,Rn=/^on(Ani|Tra|Tou|BeforeInp|Compo)/,An=/[A-Z0-9]/g,Tn=typeof document<"u",Mn=function(e){return(typeof Symbol<"u"&&typeof Symbol()=="symbol"?/fil|che|rad/:/fil|che|ra/).test(e)};function xt(e,t,n){return t.__k==null&&(t.textContent=""),Se(e,t),typeof n=="function"&&n(),e?e.__c:null}L.prototype.isReactComponent=!0,["componentWillMount","componentWillReceiveProps","componentWillUpdate"].forEach(function(e){Object.defineProperty(L.prototype,e,{configurable:!0,get:function(){return this["UNSAFE_"+e]},set:function(t){Object.defineProperty(this,e,{configurable:!0,writable:!0,value:t})}})});var ht=m.event;m.event=function(e){return ht&&(e=ht(e)),e.persist=function(){},e.isPropagationStopped=function(){return this.cancelBubble},e.isDefaultPrevented=function(){return this.defaultPrevented},e.nativeEvent=e};var wt,Ln={configurable:!0,get:function(){return this.class}},mt=m.vnode;m.vnode=function(e){typeof e.type=="string"&&(function(t){var n=t.props,o=t.type,r={},s=o.indexOf("-")==-1;for(var a in n){var c=n[a];if(!(a==="value"&&"defaultValue"in n&&c==null||Tn&&a==="children"&&o==="noscript"||a==="class"||a==="className")){var d=a.toLowerCase();a==="defaultValue"&&"value"in n&&n.value==null?a="value":a==="download"&&c===!0?c="":d==="translate"&&c==="no"?c=!1:d[0]==="o"&&d[1]==="n"?d==="ondoubleclick"?a="ondblclick":d!=="onchange"||o!=="input"&&o!=="textarea"||Mn(n.type)?d==="onfocus"?a="onfocusin":d==="onblur"?a="onfocusout":Rn.test(a)&&(a=d):d=a="oninput":s&&Nn.test(a)?a=a.replace(An,"-$&").toLowerCase():c===null&&(c=void 0),d==="oninput"&&r[a=d]&&(a="oninputCapture"),r[a]=c}}o=="select"&&(r.multiple&&Array.isArray(r.value)&&(r.value=Y(n.children).forEach(function(u){u.props.selected=r.value.indexOf(u.props.value)!=-1})),r.defaultValue!=null&&(r.value=Y(n.children).forEach(function(u){u.props.selected=r.multiple?r.defaultValue.indexOf(u.props.value)!=-1:r.defaultValue==u.props.value}))),n.class&&!n.className?(r.class=n.class,Object.defineProperty(r,"className",Ln)):n.className&&(r.class=r.className=n.className),t.props=r})(e),e.$$typeof=En,mt&&mt(e)};var bt=m.__r;m.__r=function(e){bt&&bt(e),wt=e.__c};var gt=m.diffed;m.diffed=function(e){gt&&gt(e);var t=e.props,n=e.__e;n!=null&&e.type==="textarea"&&"value"in t&&t.value!==n.value&&(n.value=t.value==null?"":t.value),wt=null};function St(e){return!!e.__k&&(Se(null,e),!0)}function Ct(e){return{render:function(t){xt(t,e)},unmount:function(){St(e)}}}var Et=`/* bookchat widget: everything is scoped under .bookchat-root; colors follow data-theme. */
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
  bottom: 20px;
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
    bottom: 14px;
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
`;function Pn(){let e=document.documentElement.getAttribute("data-theme");return e==="dark"||e==="light"?e:window.matchMedia?.("(prefers-color-scheme: dark)").matches?"dark":"light"}function Nt(){let[e,t]=R("light");return C(()=>{let n=()=>t(Pn());n();let o=new MutationObserver(n);o.observe(document.documentElement,{attributes:!0,attributeFilter:["data-theme"]});let r=window.matchMedia?.("(prefers-color-scheme: dark)");return r?.addEventListener?.("change",n),()=>{o.disconnect(),r?.removeEventListener?.("change",n)}},[]),e}var fe=class{constructor(){this.buffer="";this.eventName="";this.dataLines=[];this.sawData=!1;this.pendingCR=!1}push(t){let n=[],o=t;this.pendingCR&&(o.startsWith(`
`)&&(o=o.slice(1)),this.pendingCR=!1),this.buffer+=o;let r=0;for(let s=0;s<this.buffer.length;s++){let a=this.buffer[s];if(a!==`
`&&a!=="\r")continue;let c=this.buffer.slice(r,s);a==="\r"&&(s+1<this.buffer.length?this.buffer[s+1]===`
`&&s++:this.pendingCR=!0),r=s+1,this.line(c,n)}return this.buffer=this.buffer.slice(r),n}end(){return this.buffer="",this.reset(),[]}reset(){this.eventName="",this.dataLines=[],this.sawData=!1}line(t,n){if(t===""){if(this.sawData){let a={event:this.eventName||"message",data:this.dataLines.join(`
`)};this.lastId!==void 0&&(a.id=this.lastId),n.push(a)}this.reset();return}if(t.startsWith(":"))return;let o=t.indexOf(":"),r=o===-1?t:t.slice(0,o),s=o===-1?"":t.slice(o+1);switch(s.startsWith(" ")&&(s=s.slice(1)),r){case"event":this.eventName=s;break;case"data":this.dataLines.push(s),this.sawData=!0;break;case"id":s.includes("\0")||(this.lastId=s);break;default:break}}};var M=class extends Error{constructor(n,o,r,s,a,c=!1){super(o);this.kind=n;this.status=r;this.code=s;this.retryAfter=a;this.withdrawn=c;this.name="ApiError"}};function Dn(e,t){return`${e.trim().replace(/\/+$/,"")}${t}`}function Hn(e,t={}){let n={"Content-Type":"application/json",...t};return e.apiKey&&(n.Authorization=`Bearer ${e.apiKey}`),n}function On(e,t=Date.now()){if(!e)return;if(/^\s*\d+\s*$/.test(e))return Number.parseInt(e,10);let n=Date.parse(e);if(!Number.isNaN(n))return Math.max(0,Math.ceil((n-t)/1e3))}async function Rt(e){let t,n=e.statusText||`HTTP ${e.status}`;try{let o=await e.json();o&&typeof o.error=="object"&&o.error&&(typeof o.error.code=="string"&&(t=o.error.code),typeof o.error.message=="string"&&(n=o.error.message))}catch{}return new M("http",n,e.status,t,On(e.headers.get("Retry-After")))}function Un(){let e=globalThis.crypto;return e&&typeof e.randomUUID=="function"?e.randomUUID():void 0}async function At(e,t,n,o,r){let s=e.fetch??fetch,a={};r&&(a.Accept=r);let c=Un();c&&(a["X-Request-ID"]=c);try{return await s(Dn(e.backend,t),{method:"POST",headers:Hn(e,a),body:JSON.stringify(n),signal:o,credentials:"omit"})}catch(d){throw o?.aborted?d:new M("network",d instanceof Error?d.message:String(d))}}function _e(e){try{return JSON.parse(e)}catch{throw new M("protocol","The service sent an event that is not JSON.")}}async function Re(e,t,n,o){let r=await At(e,"/chat/stream",t,o,"text/event-stream");if(!r.ok)throw await Rt(r);if(!r.body)throw new M("protocol","The service sent no stream.");let s=r.body.getReader(),a=new TextDecoder,c=new fe;try{for(;;){let d;try{d=await s.read()}catch(_){throw o?.aborted?_:new M("network","The connection dropped while the answer was arriving.")}let u=d.done?a.decode():a.decode(d.value,{stream:!0}),p=c.push(u);d.done&&p.push(...c.end());for(let _ of p)switch(_.event){case"sources":{let i=_e(_.data);n.onSources?.(Array.isArray(i.source_nodes)?i.source_nodes:[]);break}case"delta":{let i=_e(_.data);typeof i.delta=="string"&&i.delta&&n.onDelta?.(i.delta);break}case"done":{let i=_e(_.data);return n.onDone?.(i),i}case"error":{let i=_e(_.data),f=typeof i.retry_after=="number"?i.retry_after:void 0;throw new M("stream",i.message||"The answer failed.",void 0,i.code,f,i.withdrawn===!0)}default:break}if(d.done)throw new M("protocol","The answer stopped before it was complete.")}}finally{s.cancel().catch(()=>{})}}async function Tt(e,t,n){let o=await At(e,"/feedback",t,n);if(!o.ok)throw await Rt(o)}function Mt(e){if(e.kind==="network")return"Cannot reach the chat service. Check your connection and try again.";if(e.kind==="stream"){let n=e.retryAfter!==void 0?` Try again in ${e.retryAfter} s.`:"";return e.withdrawn?`The partial answer was withdrawn: ${e.message}${n}`:`The answer was interrupted: ${e.message}${n}`}if(e.kind==="protocol")return e.message;let t=e.message?` ${e.message}`:"";switch(e.status){case 401:return"The chat service refused this site’s access key (401).";case 403:return"The chat service refused the request (403).";case 404:return"The chat service has no such endpoint (404): check the backend URL.";case 413:return"The question or the selected text is too long (413). Shorten it and try again.";case 422:return`The service could not accept this question (422).${t}`;case 429:return e.retryAfter!==void 0?`Too many questions right now (429). Try again in ${e.retryAfter} s.`:"Too many questions right now (429). Try again in a moment.";case 502:return"The answering model returned an error (502).";case 503:return"The answering service is unavailable right now (503).";case 504:return"The answer took too long (504).";default:return`The chat service failed (${e.status??"error"}).${t}`}}var Ae=/\[([^[\]\n]{1,200})\]/g;function Te(e,t){let n=e.trim();if(/^\d+(\s*,\s*\d+)*$/.test(n)){let s=n.split(",").map(a=>Number.parseInt(a.trim(),10));return s.every(a=>a>=1&&a<=t.length)?s:null}let o=n.split(/\s*[,;]\s*/),r=[];for(let s of o){let a=t.findIndex(c=>c.metadata?.source===s);if(a===-1)return null;r.push(a+1)}return r.length?r:null}function $n(e,t){let n=[],o=0;Ae.lastIndex=0;for(let r=Ae.exec(e);r;r=Ae.exec(e)){let s=r.index+r[0].length;if(e[s]==="(")continue;let a=Te(r[1]??"",t);a&&(r.index>o&&n.push({type:"text",text:e.slice(o,r.index)}),n.push({type:"cite",indices:a,raw:r[0]}),o=s)}return o<e.length&&n.push({type:"text",text:e.slice(o)}),n}function Lt(e,t){let n=new Set;for(let o of $n(e,t))o.type==="cite"&&o.indices.forEach(r=>n.add(r));return[...n].sort((o,r)=>o-r)}function Me(e){let t=e.metadata??{},n=typeof t.title=="string"&&t.title?t.title:t.source??"Source",o=typeof t.heading=="string"?t.heading:"";return o&&o!==n?`${n} › ${o}`:String(n)}function It(e){let t=e.metadata??{};return typeof t.url!="string"||!t.url||!Le(t.url)?null:!t.url.includes("#")&&typeof t.anchor=="string"&&t.anchor?`${t.url}#${t.anchor}`:t.url}function Le(e){let t=e.trim();if(/[\u0000-\u001f]/.test(t))return!1;let n=/^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(t);return n?["http","https","mailto"].includes((n[1]??"").toLowerCase()):!0}var Z={messages:[]};function F(e,t,n){return{messages:e.messages.map(o=>o.id===t&&o.role==="assistant"?n(o):o)}}function Dt(e,t){switch(t.type){case"ask":return{messages:[...e.messages,t.user,{id:t.assistantId,role:"assistant",replyTo:t.user.id,content:"",status:"waiting",sources:[]}]};case"retry":return F(e,t.id,n=>({id:n.id,role:"assistant",replyTo:n.replyTo,content:"",status:"waiting",sources:[]}));case"sources":return F(e,t.id,n=>({...n,sources:t.sources,status:"streaming"}));case"delta":return F(e,t.id,n=>({...n,content:n.content+t.delta,status:"streaming"}));case"done":return F(e,t.id,n=>{let o=typeof t.done.answer=="string"?t.done.answer:n.content,r=Array.isArray(t.done.cited)?t.done.cited:Lt(o,n.sources);return{...n,content:o,status:"done",outcome:typeof t.done.outcome=="string"?t.done.outcome:"answered",cited:r,requestId:typeof t.done.request_id=="string"?t.done.request_id:n.requestId}});case"stopped":return F(e,t.id,n=>n.status==="waiting"||n.status==="streaming"?{...n,status:"stopped"}:n);case"failed":return F(e,t.id,n=>({...n,content:t.error.withdrawn?"":n.content,status:"error",error:t.error}));case"rate":return F(e,t.id,n=>({...n,rating:t.rating,feedback:t.feedback}));case"feedback":return F(e,t.id,n=>({...n,feedback:t.feedback}));case"clear":return Z}}function Ht(e,t){let n=[];for(let o of e.messages){if(o.id===t)break;o.role==="user"?n.push({role:"user",content:o.content}):(o.status==="done"||o.status==="stopped")&&o.content.trim()&&n.push({role:"assistant",content:o.content})}return n.filter(o=>o.content.trim()).slice(-50).map(o=>({role:o.role,content:o.content.length>8e3?o.content.slice(0,8e3):o.content}))}function he(e){return e.messages.some(t=>t.role==="assistant"&&(t.status==="waiting"||t.status==="streaming"))}function qn(e){return!e||typeof e!="object"||!Array.isArray(e.messages)?Z:{messages:e.messages.filter(n=>!!n&&typeof n=="object"&&typeof n.id=="string"&&(n.role==="user"||n.role==="assistant")).map(n=>n.role==="assistant"&&(n.status==="waiting"||n.status==="streaming")?{...n,status:"stopped",sources:Array.isArray(n.sources)?n.sources:[]}:n.role==="assistant"?{...n,sources:Array.isArray(n.sources)?n.sources:[]}:n)}}function Ot(e,t){if(!e)return Z;try{let n=e.getItem(t);return n?qn(JSON.parse(n)):Z}catch{return Z}}function Ut(e,t,n){if(e)try{n.messages.length?e.setItem(t,JSON.stringify(n)):e.removeItem(t)}catch{}}function B(){try{return window.sessionStorage}catch{return}}var De="Explain this passage.",$t=0;function Ft(e){return $t+=1,`${e}-${Date.now().toString(36)}-${$t}`}function qt(e){return e.replace(/```[\s\S]*?(```|$)/g," (code) ").replace(/[*_`#>]+/g,"").replace(/\s+/g," ").trim()}function zn(e){if(e instanceof M){let t={text:Mt(e),status:e.status,code:e.code,retryAfter:e.retryAfter};return e.withdrawn&&(t.withdrawn=!0),t}return{text:"Something went wrong while asking. Try again."}}function zt({config:e,storageKey:t,sendPage:n,pathname:o}){let[r,s]=de(Dt,void 0,()=>Ot(B(),t)),[a,c]=R(""),d=T(r);d.current=r;let u=T(null),p=T(!1);C(()=>Ut(B(),t,r),[r,t]),C(()=>()=>u.current?.abort(),[]);let _=H(async(b,h)=>{u.current?.abort();let y=new AbortController;u.current=y;let x={message:b.content},N=Ht(d.current,b.id);N.length&&(x.history=N),b.selectedText&&(x.selected_text=b.selectedText),n&&b.page&&!p.current&&(x.page=b.page);let I={onSources:E=>s({type:"sources",id:h,sources:E}),onDelta:E=>s({type:"delta",id:h,delta:E})};try{let E;try{E=await Re(e,x,I,y.signal)}catch(U){if(U instanceof M&&U.status===422&&x.page&&/\bpage\b/.test(U.message))p.current=!0,delete x.page,E=await Re(e,x,I,y.signal);else throw U}s({type:"done",id:h,done:E});let P=typeof E.answer=="string"?E.answer:"";c(E.outcome==="not_in_book"?`Not in the book. ${qt(P)}`:`Answer: ${qt(P)}`)}catch(E){if(y.signal.aborted)s({type:"stopped",id:h}),c("Answer stopped.");else{let P=zn(E);s({type:"failed",id:h,error:P}),c(P.text)}}finally{u.current===y&&(u.current=null)}},[e,n]),i=H((b,h)=>{let y=(b.trim()||(h?De:"")).slice(0,4e3);if(!y||he(d.current))return;let x={id:Ft("u"),role:"user",content:y,page:o};h&&(x.selectedText=h.slice(0,8e3));let N=Ft("a");s({type:"ask",user:x,assistantId:N}),_(x,N)},[o,_]),f=H(b=>{let h=d.current.messages.find(y=>y.id===b.replyTo&&y.role==="user");!h||he(d.current)||(s({type:"retry",id:b.id}),_(h,b.id))},[_]),g=H(()=>u.current?.abort(),[]),k=H(()=>{u.current?.abort(),s({type:"clear"}),c("Conversation cleared.")},[]),v=H(async(b,h)=>{if(!b.requestId){s({type:"rate",id:b.id,rating:h,feedback:"unavailable"});return}s({type:"rate",id:b.id,rating:h,feedback:"sending"});try{await Tt(e,{request_id:b.requestId,rating:h}),s({type:"feedback",id:b.id,feedback:"sent"})}catch(y){let x=y instanceof M&&(y.status===404||y.status===405);s({type:"feedback",id:b.id,feedback:x?"unavailable":"failed"})}},[e]);return{messages:r.messages,busy:he(r),announcement:a,ask:i,retry:f,stop:g,clear:k,rate:v}}function Wt(e,t,n){let[o,r]=R(()=>B()?.getItem(`${e}:open`)==="1"),s=T(o);return C(()=>{try{B()?.setItem(`${e}:open`,o?"1":"0")}catch{}},[o,e]),C(()=>{o&&!s.current&&t.current?.focus(),!o&&s.current&&n.current?.focus(),s.current=o},[o,t,n]),C(()=>{o&&t.current?.focus({preventScroll:!0})},[]),[o,r]}var Wn=150;function Bt(e){let[t,n]=R(null);C(()=>{let r,s=()=>{window.clearTimeout(r),r=window.setTimeout(()=>{let a=window.getSelection(),c=a?.toString().trim()??"";if(!a||a.rangeCount===0||c.length<2){n(null);return}let d=a.anchorNode;if(d&&e.current?.contains(d)){n(null);return}let u=a.getRangeAt(0).getBoundingClientRect();if(u.width===0&&u.height===0){n(null);return}let p=u.bottom+8,_=p+40>window.innerHeight?Math.max(8,u.top-44):p,i=Math.min(Math.max(8,u.left+u.width/2-70),window.innerWidth-150);n({text:c.slice(0,8e3),top:_,left:i})},Wn)};return document.addEventListener("selectionchange",s),document.addEventListener("pointerup",s),()=>{window.clearTimeout(r),document.removeEventListener("selectionchange",s),document.removeEventListener("pointerup",s)}},[e]);let o=H(()=>n(null),[]);return[t,o]}var ee="Ctrl+Shift+K",jt="Control+Shift+K Meta+Shift+K";function Kt(e,t,n){C(()=>{let o=r=>{if((r.ctrlKey||r.metaKey)&&r.shiftKey&&!r.altKey&&r.key.toLowerCase()==="k"){r.preventDefault(),t(s=>!s);return}if(r.key==="Escape"&&e&&!r.defaultPrevented){let s=document.activeElement;(s&&n.current?.contains(s)||s===document.body||s===null)&&(r.preventDefault(),t(!1))}};return document.addEventListener("keydown",o),()=>document.removeEventListener("keydown",o)},[e,t,n])}var Bn=0;function l(e,t,n,o,r,s){t||(t={});var a,c,d=t;if("ref"in d)for(c in d={},t)c=="ref"?a=t[c]:d[c]=t[c];var u={type:e,props:d,key:n,ref:a,__k:null,__:null,__b:0,__e:null,__c:null,constructor:void 0,__v:--Bn,__i:-1,__u:0,__source:r,__self:s};if(typeof e=="function"&&(a=e.defaultProps))for(c in a)d[c]===void 0&&(d[c]=a[c]);return m.vnode&&m.vnode(u),u}function Vt({buttonRef:e,title:t,panelId:n,onOpen:o}){return l("button",{ref:e,type:"button",className:"bookchat-launcher","aria-expanded":!1,"aria-controls":n,"aria-keyshortcuts":jt,title:`${t} (${ee})`,onClick:o,children:[l("svg",{"aria-hidden":"true",viewBox:"0 0 24 24",width:"22",height:"22",children:l("path",{fill:"currentColor",d:"M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm3 6v2h2v-2H7zm4 0v2h2v-2h-2zm4 0v2h2v-2h-2z"})}),l("span",{className:"bookchat-launcher-label",children:t})]})}function Xt({hint:e,onAsk:t}){return l("button",{type:"button",className:"bookchat-askselection",style:{top:e.top,left:e.left},onPointerDown:n=>n.preventDefault(),onMouseDown:n=>n.preventDefault(),onClick:t,children:"Ask about this"})}function Yt({inputRef:e,attached:t,onDetach:n,busy:o,onAsk:r,onStop:s}){let[a,c]=R(""),d=p=>{p.preventDefault(),!o&&(r(a,t),c(""),n())},u=p=>{p.key==="Enter"&&!p.shiftKey&&!p.nativeEvent.isComposing&&(p.preventDefault(),d(p))};return l("form",{className:"bookchat-composer",onSubmit:d,children:[t?l("div",{className:"bookchat-attached",children:[l("span",{className:"bookchat-attached-label",children:"Asking about:"}),l("q",{className:"bookchat-attached-text",children:t.length>160?`${t.slice(0,160)}…`:t}),l("button",{type:"button",className:"bookchat-iconbutton","aria-label":"Remove the selected passage",onClick:n,children:"×"})]}):null,l("div",{className:"bookchat-inputrow",children:[l("textarea",{ref:e,className:"bookchat-input",value:a,maxLength:4e3,rows:2,placeholder:t?De:"Ask a question about the book…","aria-label":"Your question",onChange:p=>c(p.target.value),onKeyDown:u}),o?l("button",{type:"button",className:"bookchat-send bookchat-stop",onClick:s,children:"Stop"}):l("button",{type:"submit",className:"bookchat-send",disabled:!a.trim()&&!t,children:"Send"})]})]})}var Gt=/^ {0,3}(`{3,}|~{3,})\s*([\w+-]*)[^\n]*$/,Qt=/^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/,te=/^( {0,3})([-*+]|\d{1,9}[.)])\s+(.*)$/,Zt=/^ {0,3}([-*_])(\s*\1){2,}\s*$/,me=/^ {0,3}>\s?(.*)$/;function Jt(e){return Gt.test(e)||Qt.test(e)||te.test(e)||me.test(e)||Zt.test(e)}function en(e){let t=e.replace(/\r\n?/g,`
`).split(`
`),n=[],o=0;for(;o<t.length;){let r=t[o]??"";if(!r.trim()){o++;continue}let s=Gt.exec(r);if(s){let u=s[1]??"```",p=[];for(o++;o<t.length&&!(t[o]??"").trim().startsWith(u);)p.push(t[o]??""),o++;o++,n.push({kind:"code",lang:s[2]??"",text:p.join(`
`)});continue}let a=Qt.exec(r);if(a){n.push({kind:"heading",level:(a[1]??"#").length,text:a[2]??""}),o++;continue}if(Zt.test(r)){n.push({kind:"rule"}),o++;continue}if(me.test(r)){let u=[];for(;o<t.length&&me.test(t[o]??"");)u.push(me.exec(t[o]??"")?.[1]??""),o++;n.push({kind:"quote",text:u.join(`
`)});continue}let c=te.exec(r);if(c){let u=(c[1]??"").length,p=/\d/.test(c[2]??""),_=p?Number.parseInt(c[2]??"1",10):1,i=[],f=[];for(;o<t.length;){let g=t[o]??"",k=te.exec(g);if(k&&(k[1]??"").length<=u+1&&/\d/.test(k[2]??"")===p){f.length&&i.push(f.join(`
`)),f=[k[3]??""],o++;continue}if(!g.trim()){let v=t[o+1]??"";if(/^\s{2,}\S/.test(v)||te.exec(v)&&(te.exec(v)?.[1]??"").length<=u+1){f.push(""),o++;continue}break}if(/^\s{2,}/.test(g)){f.push(g.replace(/^\s{2,4}/,"")),o++;continue}if(Jt(g))break;f.push(g.trim()),o++}f.length&&i.push(f.join(`
`)),n.push({kind:"list",ordered:p,start:_,items:i});continue}let d=[];for(;o<t.length&&(t[o]??"").trim()&&!(d.length&&Jt(t[o]??""));)d.push((t[o]??"").trim()),o++;n.push({kind:"para",text:d.join(`
`)})}return n}var jn=/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)|\*\*(?=\S)([\s\S]*?\S)\*\*|__(?=\S)([\s\S]*?\S)__|\*(?=[^\s*])([\s\S]*?[^\s*])\*|(?<![\w])_(?=[^\s_])([\s\S]*?[^\s_])_(?![\w])|\[([^[\]\n]+)\]\(([^()\s]+)(?:\s+"[^"\n]*")?\)|\[([^[\]\n]{1,200})\]|(\n)/g;function j(e,t,n){let o=[],r=0,s=0,a=new RegExp(jn.source,"g");for(let c=a.exec(e);c;c=a.exec(e)){let d=`${n}.${s++}`;if(c.index>r&&o.push(e.slice(r,c.index)),r=c.index+c[0].length,c[1]!==void 0)o.push(l("code",{children:(c[2]??"").replace(/^ (.*) $/,"$1")},d));else if(c[3]!==void 0||c[4]!==void 0)o.push(l("strong",{children:j(c[3]??c[4]??"",t,d)},d));else if(c[5]!==void 0||c[6]!==void 0)o.push(l("em",{children:j(c[5]??c[6]??"",t,d)},d));else if(c[7]!==void 0){let u=c[8]??"",p=j(c[7],t,d);o.push(Le(u)?t.renderLink(u,p,d):l(A,{children:p},d))}else if(c[9]!==void 0){let u=Te(c[9],t.sources);o.push(u?t.renderCite(u,c[0],d):c[0])}else c[10]!==void 0&&o.push(" ")}return r<e.length&&o.push(e.slice(r)),o}function tn(e,t,n){switch(e.kind){case"code":return l("pre",{className:"bookchat-code",children:l("code",{"data-lang":e.lang||void 0,children:e.text})},n);case"heading":{let o=e.level<=2?"h4":e.level===3?"h5":"h6";return l(o,{children:j(e.text,t,n)},n)}case"rule":return l("hr",{},n);case"quote":return l("blockquote",{children:nn(e.text,t,n)},n);case"list":{let o=e.items.map((r,s)=>l("li",{children:Kn(r,t,`${n}.${s}`)},`${n}.${s}`));return e.ordered?l("ol",{start:e.start===1?void 0:e.start,children:o},n):l("ul",{children:o},n)}case"para":return l("p",{children:j(e.text,t,n)},n)}}function Kn(e,t,n){let o=en(e),r=o[0];return o.length===1&&r&&r.kind==="para"?j(r.text,t,n):o.map((s,a)=>tn(s,t,`${n}.${a}`))}function nn(e,t,n="md"){return en(e).map((o,r)=>tn(o,t,`${n}.${r}`))}function on({text:e,ctx:t}){return l("div",{className:"bookchat-md",children:nn(e,t)})}function rn({down:e=!1}){return l("svg",{"aria-hidden":"true",viewBox:"0 0 24 24",width:"16",height:"16",style:e?{transform:"rotate(180deg)"}:void 0,children:l("path",{fill:"currentColor",d:"M2 10h4v11H2zM8 21h9.4a2 2 0 0 0 1.96-1.6l1.5-7A2 2 0 0 0 18.9 10H14l.8-4.1A1.8 1.8 0 0 0 13 3.8L8 10z"})})}var Vn={sending:"",sent:"Thanks for the feedback.",unavailable:"Feedback is not available on this server.",failed:"Could not send the feedback."};function sn({answer:e,onRate:t}){let n=e.feedback==="sending"||e.feedback==="sent";return l("div",{className:"bookchat-feedback",children:[l("span",{className:"bookchat-feedback-label",children:"Helpful?"}),l("button",{type:"button",className:"bookchat-thumb","aria-label":"Helpful","aria-pressed":e.rating==="up",disabled:n,onClick:()=>{t(e,"up")},children:l(rn,{})}),l("button",{type:"button",className:"bookchat-thumb","aria-label":"Not helpful","aria-pressed":e.rating==="down",disabled:n,onClick:()=>{t(e,"down")},children:l(rn,{down:!0})}),l("span",{className:"bookchat-feedback-state",role:"status",children:e.feedback?Vn[e.feedback]:""})]})}function He({href:e,className:t,title:n,children:o,InternalLink:r,onNavigate:s}){let a=null;try{a=new URL(e,window.location.href)}catch{a=null}if(a&&a.origin===window.location.origin){let c=`${a.pathname}${a.search}${a.hash}`;return r?l(r,{to:c,className:t,title:n,onClick:s,children:o}):l("a",{href:c,className:t,title:n,onClick:s,children:o})}return l("a",{href:a?a.href:e,className:t,title:n,target:"_blank",rel:"noopener noreferrer",children:o})}function Oe({node:e,className:t,title:n,children:o,InternalLink:r,onNavigate:s}){let a=It(e);return a?l(He,{href:a,className:t,title:n,InternalLink:r,onNavigate:s,children:o}):l("span",{className:t,title:n,children:o})}function an({message:e,...t}){return e.role==="user"?l("div",{className:"bookchat-msg bookchat-user",children:[e.selectedText?l("blockquote",{className:"bookchat-quote",children:e.selectedText.length>200?`${e.selectedText.slice(0,200)}…`:e.selectedText}):null,l("p",{children:e.content})]}):l(Xn,{answer:e,...t})}function Xn({answer:e,InternalLink:t,onNavigate:n,onRetry:o,onRate:r,busy:s}){let a=e.sources,c=e.outcome==="not_in_book",d=new Set(e.cited??[]),u={sources:a,renderCite:(p,_,i)=>l("span",{className:"bookchat-cites",children:p.map(f=>{let g=a[f-1];return g?l(Oe,{node:g,className:"bookchat-cite",title:Me(g),InternalLink:t,onNavigate:n,children:["[",f,"]"]},`${i}.${f}`):null})},i),renderLink:(p,_,i)=>l(He,{href:p,InternalLink:t,onNavigate:n,children:_},i)};return l("div",{className:`bookchat-msg bookchat-answer${c?" bookchat-notinbook":""}`,"data-status":e.status,"data-outcome":e.outcome,"aria-busy":e.status==="waiting"||e.status==="streaming",children:[c?l("p",{className:"bookchat-notice",children:[l("strong",{children:"Not in the book."})," The book does not cover this question."]}):null,e.status==="waiting"?l("p",{className:"bookchat-thinking",children:"Searching the book…"}):null,e.content?l(on,{text:e.content,ctx:u}):null,e.status==="streaming"&&!e.content?l("p",{className:"bookchat-thinking",children:"Writing…"}):null,e.status==="stopped"?l("p",{className:"bookchat-stopped",children:"Stopped."}):null,e.status==="error"&&e.error?l("div",{className:"bookchat-error",role:"alert",children:[l("span",{className:"bookchat-error-text",children:e.error.text}),l("button",{type:"button",className:"bookchat-retry",onClick:()=>o(e),disabled:s,children:"Retry"})]}):null,a.length&&e.status!=="error"?l("div",{className:"bookchat-sources",children:[l("p",{className:"bookchat-sources-title",children:c?"Closest passages":"Sources"}),l("ol",{children:a.map((p,_)=>l("li",{className:d.has(_+1)||p.cited?"bookchat-source bookchat-source-cited":"bookchat-source",children:[l("span",{className:"bookchat-source-n",children:["[",_+1,"]"]})," ",l(Oe,{node:p,className:"bookchat-source-link",InternalLink:t,onNavigate:n,children:Me(p)})]},`${p.id}.${_}`))})]}):null,e.status==="done"?l(sn,{answer:e,onRate:r}):null]})}function cn({messages:e,open:t,...n}){let o=T(null);return C(()=>{let r=o.current;r&&(r.scrollTop=r.scrollHeight)},[e,t]),l("div",{ref:o,className:"bookchat-log",role:"region","aria-label":"Conversation",children:e.length===0?l("div",{className:"bookchat-empty",children:[l("p",{children:"Ask a question about this book: the answer cites the sections it comes from."}),l("p",{children:"Select text on a page and choose “Ask about this” to ask about a passage."}),l("p",{children:["Open or close this panel with ",l("kbd",{children:ee}),"; ",l("kbd",{children:"Esc"})," closes it."]})]}):e.map(r=>l(an,{message:r,...n},r.id))})}function un({id:e,title:t,open:n,onClose:o,onClear:r,chat:s,composer:a,InternalLink:c,onNavigate:d}){let u=Q();return l("section",{id:e,className:"bookchat-panel",role:"dialog","aria-modal":"false","aria-labelledby":u,hidden:!n,children:[l("header",{className:"bookchat-header",children:[l("h2",{id:u,className:"bookchat-title",children:t}),l("button",{type:"button",className:"bookchat-iconbutton",onClick:r,disabled:!s.messages.length,title:"Clear the conversation",children:"Clear"}),l("button",{type:"button",className:"bookchat-iconbutton bookchat-close",onClick:o,"aria-label":"Close the chat (Esc)",title:"Close (Esc)",children:"×"})]}),l(cn,{messages:s.messages,open:n,InternalLink:c,onNavigate:d,onRetry:s.retry,onRate:s.rate,busy:s.busy}),l(Yt,{...a,busy:s.busy,onAsk:s.ask,onStop:s.stop})]})}var Yn="(max-width: 600px)";function ln(e){let{backend:t,apiKey:n,title:o="Ask the book",sendPage:r=!0,colorMode:s,pathname:a,InternalLink:c}=e,d=G(()=>({backend:t,apiKey:n}),[t,n]),u=`bookchat:v1:${t||"same-origin"}`,p=T(null),_=T(null),i=T(null),f=Q(),g=zt({config:d,storageKey:u,sendPage:r,pathname:a}),[k,v]=Wt(u,i,_);Kt(k,v,p);let[b,h]=Bt(p),[y,x]=R(null),N=()=>{b&&(x(b.text),h(),v(!0),window.setTimeout(()=>i.current?.focus(),0))},I=()=>{g.clear(),i.current?.focus()},E=()=>{window.matchMedia?.(Yn).matches&&v(!1)};return l("div",{ref:p,className:"bookchat-root","data-theme":s,"data-bookchat":"",children:[b&&!g.busy?l(Xt,{hint:b,onAsk:N}):null,k?null:l(Vt,{buttonRef:_,title:o,panelId:f,onOpen:()=>v(!0)}),l(un,{id:f,title:o,open:k,onClose:()=>v(!1),onClear:I,chat:g,composer:{inputRef:i,attached:y,onDetach:()=>x(null)},InternalLink:c,onNavigate:E}),l("div",{className:"bookchat-sr-only","aria-live":"polite","aria-atomic":"true",role:"status",children:g.announcement})]})}function Jn(e){let t=Nt(),[n,o]=R(window.location.pathname);return C(()=>{let r=()=>o(window.location.pathname);return window.addEventListener("popstate",r),()=>window.removeEventListener("popstate",r)},[]),l(ln,{...e,colorMode:t,pathname:n})}function Gn(e){let t=e?.dataset??{},n={backend:(t.backend??"").trim().replace(/\/+$/,"")};return t.apiKey&&(n.apiKey=t.apiKey),t.title&&(n.title=t.title),t.sendPage==="false"&&(n.sendPage=!1),n}var Qn=document.currentScript;function dn(){if(document.querySelector("[data-bookchat-host]"))return;let e=document.createElement("style");e.setAttribute("data-bookchat-style",""),e.textContent=Et,document.head.appendChild(e);let t=document.createElement("div");t.setAttribute("data-bookchat-host",""),document.body.appendChild(t),Ct(t).render(l(Jn,{...Gn(Qn)}))}document.readyState==="loading"?document.addEventListener("DOMContentLoaded",dn):dn();})();
