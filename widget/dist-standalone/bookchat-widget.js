/*! bookchat widget (standalone) | includes Preact, MIT License, Copyright (c) 2015-present Jason Miller */
"use strict";(()=>{var fe,m,Je,$n,F,Qe,Ze,et,Se,ce,G,tt,Ne,Ce,Ee,Un,ue={},de=[],Fn=/acit|ex(?:s|g|n|p|$)|rph|grid|ows|mnc|ntw|ine[ch]|zoo|^ord|itera/i,Y=Array.isArray;function U(e,t){for(var n in t)e[n]=t[n];return e}function Re(e){e&&e.parentNode&&e.parentNode.removeChild(e)}function J(e,t,n){var o,r,s,i={};for(s in t)s=="key"?o=t[s]:s=="ref"?r=t[s]:i[s]=t[s];if(arguments.length>2&&(i.children=arguments.length>3?fe.call(arguments,2):n),typeof e=="function"&&e.defaultProps!=null)for(s in e.defaultProps)i[s]===void 0&&(i[s]=e.defaultProps[s]);return le(e,i,o,r,null)}function le(e,t,n,o,r){var s={type:e,props:t,key:n,ref:o,__k:null,__:null,__b:0,__e:null,__c:null,constructor:void 0,__v:r??++Je,__i:-1,__u:0};return r==null&&m.vnode!=null&&m.vnode(s),s}function I(e){return e.children}function $(e,t){this.props=e,this.context=t}function z(e,t){if(t==null)return e.__?z(e.__,e.__i+1):null;for(var n;t<e.__k.length;t++)if((n=e.__k[t])!=null&&n.__e!=null)return n.__e;return typeof e.type=="function"?z(e):null}function qn(e){if(e.__P&&e.__d){var t=e.__v,n=t.__e,o=[],r=[],s=U({},t);s.__v=t.__v+1,m.vnode&&m.vnode(s),Ae(e.__P,s,t,e.__n,e.__P.namespaceURI,32&t.__u?[n]:null,o,n??z(t),!!(32&t.__u),r),s.__v=t.__v,s.__.__k[s.__i]=s,it(o,s,r),t.__e=t.__=null,s.__e!=n&&nt(s)}}function nt(e){if((e=e.__)!=null&&e.__c!=null)return e.__e=e.__c.base=null,e.__k.some(function(t){if(t!=null&&t.__e!=null)return e.__e=e.__c.base=t.__e}),nt(e)}function Xe(e){(!e.__d&&(e.__d=!0)&&F.push(e)&&!pe.__r++||Qe!=m.debounceRendering)&&((Qe=m.debounceRendering)||Ze)(pe)}function pe(){try{for(var e,t=1;F.length;)F.length>t&&F.sort(et),e=F.shift(),t=F.length,qn(e)}finally{F.length=pe.__r=0}}function ot(e,t,n,o,r,s,i,c,d,l,p){var h,a,f,b,k,v,w=o&&o.__k||de,_=t.length;for(d=Bn(n,t,w,d,_),h=0;h<_;h++)(f=n.__k[h])!=null&&(a=f.__i!=-1&&w[f.__i]||ue,f.__i=h,v=Ae(e,f,a,r,s,i,c,d,l,p),b=f.__e,f.ref&&a.ref!=f.ref&&(a.ref&&Le(a.ref,null,f),p.push(f.ref,f.__c||b,f)),k==null&&b!=null&&(k=b),4&f.__u?(d=rt(f,d,e),a.__e&&(a.__e=null)):typeof f.type=="function"&&v!==void 0?d=v:b&&(d=b.nextSibling),f.__u&=-7);return n.__e=k,d}function Bn(e,t,n,o,r){var s,i,c,d,l,p=n.length,h=p,a=0;for(e.__k=new Array(r),s=0;s<r;s++)(i=t[s])!=null&&typeof i!="boolean"&&typeof i!="function"?(typeof i=="string"||typeof i=="number"||typeof i=="bigint"||i.constructor==String?i=e.__k[s]=le(null,i,null,null,null):Y(i)?i=e.__k[s]=le(I,{children:i},null,null,null):i.constructor===void 0&&i.__b>0?i=e.__k[s]=le(i.type,i.props,i.key,i.ref?i.ref:null,i.__v):e.__k[s]=i,d=s+a,i.__=e,i.__b=e.__b+1,c=null,(l=i.__i=zn(i,n,d,h))!=-1&&(h--,(c=n[l])&&(c.__u|=2)),c==null||c.__v==null?(l==-1&&(r>p?a--:r<p&&a++),typeof i.type!="function"&&(i.__u|=4)):l!=d&&(l==d-1?a--:l==d+1?a++:(l>d?a--:a++,i.__u|=4))):e.__k[s]=null;if(h)for(s=0;s<p;s++)(c=n[s])!=null&&(2&c.__u)==0&&(c.__e==o&&(o=z(c)),ct(c,c));return o}function rt(e,t,n){var o,r;if(typeof e.type=="function"){for(o=e.__k,r=0;o&&r<o.length;r++)o[r]&&(o[r].__=e,t=rt(o[r],t,n));return t}e.__e!=t&&(t&&e.type&&!t.parentNode&&(t=z(e)),t=n.insertBefore(e.__e,t||null));do t=t&&t.nextSibling;while(t!=null&&t.nodeType==8);return t}function Z(e,t){return t=t||[],e==null||typeof e=="boolean"||(Y(e)?e.some(function(n){Z(n,t)}):t.push(e)),t}function zn(e,t,n,o){var r,s,i,c=e.key,d=e.type,l=t[n],p=l!=null&&(2&l.__u)==0;if(l===null&&c==null||p&&c==l.key&&d==l.type)return n;if(o>(p?1:0)){for(r=n-1,s=n+1;r>=0||s<t.length;)if((l=t[i=r>=0?r--:s++])!=null&&(2&l.__u)==0&&c==l.key&&d==l.type)return i}return-1}function Ge(e,t,n){t[0]=="-"?e.setProperty(t,n??""):e[t]=n==null?"":typeof n!="number"||Fn.test(t)?n:n+"px"}function ae(e,t,n,o,r){var s,i;e:if(t=="style")if(typeof n=="string")e.style.cssText=n;else{if(typeof o=="string"&&(e.style.cssText=o=""),o)for(t in o)n&&t in n||Ge(e.style,t,"");if(n)for(t in n)o&&n[t]==o[t]||Ge(e.style,t,n[t])}else if(t[0]=="o"&&t[1]=="n")s=t!=(t=t.replace(tt,"$1")),i=t.toLowerCase(),t=i in e||t=="onFocusOut"||t=="onFocusIn"?i.slice(2):t.slice(2),e.l||(e.l={}),e.l[t+s]=n,n?o?n[G]=o[G]:(n[G]=Ne,e.addEventListener(t,s?Ee:Ce,s)):e.removeEventListener(t,s?Ee:Ce,s);else{if(r=="http://www.w3.org/2000/svg")t=t.replace(/xlink(H|:h)/,"h").replace(/sName$/,"s");else if(t!="width"&&t!="height"&&t!="href"&&t!="list"&&t!="form"&&t!="tabIndex"&&t!="download"&&t!="rowSpan"&&t!="colSpan"&&t!="role"&&t!="popover"&&t in e)try{e[t]=n??"";break e}catch{}typeof n=="function"||(n==null||n===!1&&t[4]!="-"?e.removeAttribute(t):e.setAttribute(t,t=="popover"&&n==1?"":n))}}function Ye(e){return function(t){if(this.l){var n=this.l[t.type+e];if(t[ce]==null)t[ce]=Ne++;else if(t[ce]<n[G])return;return n(m.event?m.event(t):t)}}}function Ae(e,t,n,o,r,s,i,c,d,l){var p,h,a,f,b,k,v,w,_,g,x,y,L,H,P,R,A=t.type;if(t.constructor!==void 0)return null;128&n.__u&&(d=!!(32&n.__u),s=[c=t.__e=n.__e]),(p=m.__b)&&p(t);e:if(typeof A=="function"){h=i.length;try{if(_=t.props,g=A.prototype&&A.prototype.render,x=(p=A.contextType)&&o[p.__c],y=p?x?x.props.value:p.__:o,n.__c?w=(a=t.__c=n.__c).__=a.__E:(g?t.__c=a=new A(_,y):(t.__c=a=new $(_,y),a.constructor=A,a.render=Kn),x&&x.sub(a),a.state||(a.state={}),a.__n=o,f=a.__d=!0,a.__h=[],a._sb=[]),g&&a.__s==null&&(a.__s=a.state),g&&A.getDerivedStateFromProps!=null&&(a.__s==a.state&&(a.__s=U({},a.__s)),U(a.__s,A.getDerivedStateFromProps(_,a.__s))),b=a.props,k=a.state,a.__v=t,f)g&&A.getDerivedStateFromProps==null&&a.componentWillMount!=null&&a.componentWillMount(),g&&a.componentDidMount!=null&&a.__h.push(a.componentDidMount);else{if(g&&A.getDerivedStateFromProps==null&&_!==b&&a.componentWillReceiveProps!=null&&a.componentWillReceiveProps(_,y),t.__v==n.__v||!a.__e&&a.shouldComponentUpdate!=null&&a.shouldComponentUpdate(_,a.__s,y)===!1){t.__v!=n.__v&&(a.props=_,a.state=a.__s,a.__d=!1),t.__e=n.__e,t.__k=n.__k,t.__k.some(function(M){M&&(M.__=t)}),de.push.apply(a.__h,a._sb),a._sb=[],a.__h.length&&i.push(a),c=z(n);break e}a.componentWillUpdate!=null&&a.componentWillUpdate(_,a.__s,y),g&&a.componentDidUpdate!=null&&a.__h.push(function(){a.componentDidUpdate(b,k,v)})}if(a.context=y,a.props=_,a.__P=e,a.__e=!1,L=m.__r,H=0,g)a.state=a.__s,a.__d=!1,L&&L(t),p=a.render(a.props,a.state,a.context),de.push.apply(a.__h,a._sb),a._sb=[];else do a.__d=!1,L&&L(t),p=a.render(a.props,a.state,a.context),a.state=a.__s;while(a.__d&&++H<25);a.state=a.__s,a.getChildContext!=null&&(o=U(U({},o),a.getChildContext())),g&&!f&&a.getSnapshotBeforeUpdate!=null&&(v=a.getSnapshotBeforeUpdate(b,k)),P=p!=null&&p.type===I&&p.key==null?at(p.props.children):p,c=ot(e,Y(P)?P:[P],t,n,o,r,s,i,c,d,l),a.base=t.__e,t.__u&=-161,a.__h.length&&i.push(a),w&&(a.__E=a.__=null)}catch(M){if(i.length=h,t.__v=null,d||s!=null){if(M.then){for(t.__u|=d?160:128;c&&c.nodeType==8&&c.nextSibling;)c=c.nextSibling;s!=null&&(s[s.indexOf(c)]=null),t.__e=c}else if(s!=null)for(R=s.length;R--;)Re(s[R])}else t.__e=n.__e;t.__k==null&&(t.__k=n.__k||[]),M.then||st(t),m.__e(M,t,n)}}else s==null&&t.__v==n.__v?(t.__k=n.__k,t.__e=n.__e):c=t.__e=Wn(n.__e,t,n,o,r,s,i,d,l);return(p=m.diffed)&&p(t),128&t.__u?void 0:c}function st(e){e&&(e.__c&&(e.__c.__e=!0),e.__k&&e.__k.some(st))}function it(e,t,n){for(var o=0;o<n.length;o++)Le(n[o],n[++o],n[++o]);m.__c&&m.__c(t,e),e.some(function(r){try{e=r.__h,r.__h=[],e.some(function(s){s.call(r)})}catch(s){m.__e(s,r.__v)}})}function at(e){return typeof e!="object"||e==null||e.__b>0?e:Y(e)?e.map(at):e.constructor!==void 0?null:U({},e)}function Wn(e,t,n,o,r,s,i,c,d){var l,p,h,a,f,b,k,v=n.props||ue,w=t.props,_=t.type;if(_=="svg"?r="http://www.w3.org/2000/svg":_=="math"?r="http://www.w3.org/1998/Math/MathML":r||(r="http://www.w3.org/1999/xhtml"),s!=null){for(l=0;l<s.length;l++)if((f=s[l])&&"setAttribute"in f==!!_&&(_?f.localName==_:f.nodeType==3)){e=f,s[l]=null;break}}if(e==null){if(_==null)return document.createTextNode(w);e=document.createElementNS(r,_,w.is&&w),c&&(m.__m&&m.__m(t,s),c=!1),s=null}if(_==null)v===w||c&&e.data==w||(e.data=w);else{if(s=_=="textarea"&&w.defaultValue!=null?null:s&&fe.call(e.childNodes),!c&&s!=null)for(v={},l=0;l<e.attributes.length;l++)v[(f=e.attributes[l]).name]=f.value;for(l in v)f=v[l],l=="dangerouslySetInnerHTML"?h=f:l=="children"||l in w||l=="value"&&"defaultValue"in w||l=="checked"&&"defaultChecked"in w||ae(e,l,null,f,r);for(l in w)f=w[l],l=="children"?a=f:l=="dangerouslySetInnerHTML"?p=f:l=="value"?b=f:l=="checked"?k=f:c&&typeof f!="function"||v[l]===f||ae(e,l,f,v[l],r);if(p)c||h&&(p.__html==h.__html||p.__html==e.innerHTML)||(e.innerHTML=p.__html),t.__k=[];else if(h&&(e.innerHTML=""),ot(t.type=="template"?e.content:e,Y(a)?a:[a],t,n,o,_=="foreignObject"?"http://www.w3.org/1999/xhtml":r,s,i,s?s[0]:n.__k&&z(n,0),c,d),s!=null)for(l=s.length;l--;)Re(s[l]);c&&_!="textarea"||(l="value",_=="progress"&&b==null?e.removeAttribute("value"):b!=null&&(b!==e[l]||_=="progress"&&!b||_=="option"&&b!=v[l])&&ae(e,l,b,v[l],r),l="checked",k!=null&&k!=e[l]&&ae(e,l,k,v[l],r))}return e}function Le(e,t,n){try{if(typeof e=="function"){var o=typeof e.__u=="function";o&&e.__u(),o&&t==null||(e.__u=e(t))}else e.current=t}catch(r){m.__e(r,n)}}function ct(e,t,n){var o,r;if(m.unmount&&m.unmount(e),(o=e.ref)&&(o.current&&o.current!=e.__e||Le(o,null,t)),(o=e.__c)!=null){if(o.componentWillUnmount)try{o.componentWillUnmount()}catch(s){m.__e(s,t)}o.base=o.__P=o.__n=null}if(o=e.__k)for(r=0;r<o.length;r++)o[r]&&ct(o[r],t,n||typeof e.type!="function");n||Re(e.__e),e.__c=e.__=e.__e=void 0}function Kn(e,t,n){return this.constructor(e,n)}function Te(e,t,n){var o,r,s,i;t==document&&(t=document.documentElement),m.__&&m.__(e,t),r=(o=typeof n=="function")?null:n&&n.__k||t.__k,s=[],i=[],Ae(t,e=(!o&&n||t).__k=J(I,null,[e]),r||ue,ue,t.namespaceURI,!o&&n?[n]:r?null:t.firstChild?fe.call(t.childNodes):null,s,!o&&n?n:r?r.__e:t.firstChild,o,i),it(s,e,i),e.props.children=null}fe=de.slice,m={__e:function(e,t,n,o){for(var r,s,i;t=t.__;)if((r=t.__c)&&!r.__)try{if((s=r.constructor)&&s.getDerivedStateFromError!=null&&(r.setState(s.getDerivedStateFromError(e)),i=r.__d),r.componentDidCatch!=null&&(r.componentDidCatch(e,o||{}),i=r.__d),i)return r.__E=r}catch(c){e=c}throw e}},Je=0,$n=function(e){return e!=null&&e.constructor===void 0},$.prototype.setState=function(e,t){var n;n=this.__s!=null&&this.__s!=this.state?this.__s:this.__s=U({},this.state),typeof e=="function"&&(e=e(U({},n),this.props)),e&&U(n,e),e!=null&&this.__v&&(t&&this._sb.push(t),Xe(this))},$.prototype.forceUpdate=function(e){this.__v&&(this.__e=!0,e&&this.__h.push(e),Xe(this))},$.prototype.render=I,F=[],Ze=typeof Promise=="function"?Promise.prototype.then.bind(Promise.resolve()):setTimeout,et=function(e,t){return e.__v.__b-t.__v.__b},pe.__r=0,Se=Math.random().toString(8),ce="__d"+Se,G="__a"+Se,tt=/(PointerCapture)$|Capture$/i,Ne=0,Ce=Ye(!1),Ee=Ye(!0),Un=0;var W,S,Me,lt,ee=0,bt=[],E=m,ut=E.__b,dt=E.__r,pt=E.diffed,ft=E.__c,_t=E.unmount,ht=E.__;function te(e,t){E.__h&&E.__h(S,e,ee||t),ee=0;var n=S.__H||(S.__H={__:[],__h:[]});return e>=n.__.length&&n.__.push({}),n.__[e]}function N(e){return ee=1,he(vt,e)}function he(e,t,n){var o=te(W++,2);if(o.t=e,!o.__c&&(o.__=[n?n(t):vt(void 0,t),function(c){var d=o.__N?o.__N[0]:o.__[0],l=o.t(d,c);d!==l&&(o.__N=[l,o.__[1]],o.__c.setState({}))}],o.__c=S,!S.__f)){var r=function(c,d,l){if(!o.__c.__H)return!0;var p=!1,h=o.__c.props!==c;if(o.__c.__H.__.some(function(f){if(f.__N){p=!0;var b=f.__[0];f.__=f.__N,f.__N=void 0,b!==f.__[0]&&(h=!0)}}),s){var a=s.call(this,c,d,l);return p?a||h:a}return!p||h};S.__f=!0;var s=S.shouldComponentUpdate,i=S.componentWillUpdate;S.componentWillUpdate=function(c,d,l){if(this.__e){var p=s;s=void 0,r(c,d,l),s=p}i&&i.call(this,c,d,l)},S.shouldComponentUpdate=r}return o.__N||o.__}function C(e,t){var n=te(W++,3);!E.__s&&Oe(n.__H,t)&&(n.__=e,n.u=t,S.__H.__h.push(n))}function gt(e,t){var n=te(W++,4);!E.__s&&Oe(n.__H,t)&&(n.__=e,n.u=t,S.__h.push(n))}function T(e){return ee=5,V(function(){return{current:e}},[])}function V(e,t){var n=te(W++,7);return Oe(n.__H,t)&&(n.__=e(),n.__H=t,n.__h=e),n.__}function D(e,t){return ee=8,V(function(){return e},t)}function K(){var e=te(W++,11);if(!e.__){for(var t=S.__v;t!==null&&!t.__m&&t.__!==null;)t=t.__;var n=t.__m||(t.__m=[0,0]);e.__="P"+n[0]+"-"+n[1]++}return e.__}function jn(){for(var e;e=bt.shift();){var t=e.__H;if(e.__P&&t)try{t.__h.some(_e),t.__h.some(Ie),t.__h=[]}catch(n){t.__h=[],E.__e(n,e.__v)}}}E.__b=function(e){S=null,ut&&ut(e)},E.__=function(e,t){e&&t.__k&&t.__k.__m&&(e.__m=t.__k.__m),ht&&ht(e,t)},E.__r=function(e){dt&&dt(e),W=0;var t=(S=e.__c).__H;t&&(Me===S?(t.__h=[],S.__h=[],t.__.some(function(n){n.__N&&(n.__=n.__N),n.u=n.__N=void 0})):(t.__h.some(_e),t.__h.some(Ie),t.__h=[],W=0)),Me=S},E.diffed=function(e){pt&&pt(e);var t=e.__c;t&&t.__H&&(t.__H.__h.length&&(bt.push(t)!==1&&lt===E.requestAnimationFrame||((lt=E.requestAnimationFrame)||Vn)(jn)),t.__H.__.some(function(n){n.u&&(n.__H=n.u,n.u=void 0)})),Me=S=null},E.__c=function(e,t){t.some(function(n){try{n.__h.some(_e),n.__h=n.__h.filter(function(o){return!o.__||Ie(o)})}catch(o){t.some(function(r){r.__h&&(r.__h=[])}),t=[],E.__e(o,n.__v)}}),ft&&ft(e,t)},E.unmount=function(e){_t&&_t(e);var t,n=e.__c;n&&n.__H&&(n.__H.__.some(function(o){try{_e(o)}catch(r){t=r}}),n.__H=void 0,t&&E.__e(t,n.__v))};var mt=typeof requestAnimationFrame=="function";function Vn(e){var t,n=function(){clearTimeout(o),mt&&cancelAnimationFrame(t),setTimeout(e)},o=setTimeout(n,35);mt&&(t=requestAnimationFrame(n))}function _e(e){var t=S,n=e.__c;typeof n=="function"&&(e.__c=void 0,n()),S=t}function Ie(e){var t=S;e.__c=e.__(),S=t}function Oe(e,t){return!e||e.length!==t.length||t.some(function(n,o){return n!==e[o]})}function vt(e,t){return typeof t=="function"?t(e):t}function Gn(e,t){for(var n in t)e[n]=t[n];return e}function yt(e,t){for(var n in e)if(n!=="__source"&&!(n in t))return!0;for(var o in t)if(o!=="__source"&&e[o]!==t[o])return!0;return!1}function De(e,t){var n=t(),o=N({t:{__:n,u:t}}),r=o[0].t,s=o[1];return gt(function(){r.__=n,r.u=t,He(r)&&s({t:r})},[e,n,t]),C(function(){return He(r)&&s({t:r}),e(function(){He(r)&&s({t:r})})},[e]),n}function He(e){try{return!((t=e.__)===(n=e.u())&&(t!==0||1/t==1/n)||t!=t&&n!=n)}catch{return!0}var t,n}function kt(e,t){this.props=e,this.context=t}(kt.prototype=new $).isPureReactComponent=!0,kt.prototype.shouldComponentUpdate=function(e,t){return yt(this.props,e)||yt(this.state,t)};var xt=m.__b;m.__b=function(e){e.type&&e.type.__f&&e.ref&&(e.props.ref=e.ref,e.ref=null),xt&&xt(e)};var Xo=typeof Symbol<"u"&&Symbol.for&&Symbol.for("react.forward_ref")||3911;var Yn=m.__e;m.__e=function(e,t,n,o){if(e.then){for(var r,s=t;s=s.__;)if((r=s.__c)&&r.__c)return t.__e==null&&(t.__e=n.__e,t.__k=n.__k||[]),r.__c(e,t)}Yn(e,t,n,o)};var wt=m.unmount;function At(e,t,n){return e&&(e.__c&&e.__c.__H&&(e.__c.__H.__.forEach(function(o){typeof o.__c=="function"&&o.__c()}),e.__c.__H=null),(e=Gn({},e)).__c!=null&&(e.__c.__P===n&&(e.__c.__P=t),e.__c.__e=!0,e.__c=null),e.__k=e.__k&&e.__k.map(function(o){return At(o,t,n)})),e}function Lt(e,t,n){return e&&n&&(e.__v=null,e.__k=e.__k&&e.__k.map(function(o){return Lt(o,t,n)}),e.__c&&e.__c.__P===t&&(e.__e&&n.appendChild(e.__e),e.__c.__e=!0,e.__c.__P=n)),e}function Pe(){this.__u=0,this.o=null,this.__b=null}function Tt(e){var t=e.__&&e.__.__c;return t&&t.__a&&t.__a(e)}function me(){this.i=null,this.l=null}m.unmount=function(e){var t=e.__c;t&&(t.__z=!0),t&&t.__R&&t.__R(),t&&32&e.__u&&(e.type=null),wt&&wt(e)},(Pe.prototype=new $).__c=function(e,t){var n=t.__c,o=this;o.o==null&&(o.o=[]),o.o.push(n);var r=Tt(o.__v),s=!1,i=function(){s||o.__z||(s=!0,n.__R=null,r?r(d):d())};n.__R=i;var c=n.__P;n.__P=null;var d=function(){if(!--o.__u){if(o.state.__a){var l=o.state.__a;o.__v.__k[0]=Lt(l,l.__c.__P,l.__c.__O)}var p;for(o.setState({__a:o.__b=null});p=o.o.pop();)p.__P=c,p.forceUpdate()}};o.__u++||32&t.__u||o.setState({__a:o.__b=o.__v.__k[0]}),e.then(i,i)},Pe.prototype.componentWillUnmount=function(){this.o=[]},Pe.prototype.render=function(e,t){if(this.__b){if(this.__v.__k){var n=document.createElement("div"),o=this.__v.__k[0].__c;this.__v.__k[0]=At(this.__b,n,o.__O=o.__P)}this.__b=null}var r=t.__a&&J(I,null,e.fallback);return r&&(r.__u&=-33),[J(I,null,t.__a?null:e.children),r]};var St=function(e,t,n){if(++n[1]===n[0]&&e.l.delete(t),e.props.revealOrder&&(e.props.revealOrder[0]!=="t"||!e.l.size))for(n=e.i;n;){for(;n.length>3;)n.pop()();if(n[1]<n[0])break;e.i=n=n[2]}};(me.prototype=new $).__a=function(e){var t=this,n=Tt(t.__v),o=t.l.get(e);return o[0]++,function(r){var s=function(){t.props.revealOrder?(o.push(r),St(t,e,o)):r()};n?n(s):s()}},me.prototype.render=function(e){this.i=null,this.l=new Map;var t=Z(e.children);e.revealOrder&&e.revealOrder[0]==="b"&&t.reverse();for(var n=t.length;n--;)this.l.set(t[n],this.i=[1,0,this.i]);return e.children},me.prototype.componentDidUpdate=me.prototype.componentDidMount=function(){var e=this;this.l.forEach(function(t,n){St(e,n,t)})};var Jn=typeof Symbol<"u"&&Symbol.for&&Symbol.for("react.element")||60103,Zn=/^(?:accent|alignment|arabic|baseline|cap|clip(?!PathU)|color|dominant|fill|flood|font|glyph(?!R)|horiz|image(!S)|letter|lighting|marker(?!H|W|U)|overline|paint|pointer|shape|stop|strikethrough|stroke|text(?!L)|transform|underline|unicode|units|v|vector|vert|word|writing|x(?!C))[A-Z]/,eo=/^on(Ani|Tra|Tou|BeforeInp|Compo)/,to=/[A-Z0-9]/g,no=typeof document<"u",oo=function(e){return(typeof Symbol<"u"&&typeof Symbol()=="symbol"?/fil|che|rad/:/fil|che|ra/).test(e)};function Mt(e,t,n){return t.__k==null&&(t.textContent=""),Te(e,t),typeof n=="function"&&n(),e?e.__c:null}$.prototype.isReactComponent=!0,["componentWillMount","componentWillReceiveProps","componentWillUpdate"].forEach(function(e){Object.defineProperty($.prototype,e,{configurable:!0,get:function(){return this["UNSAFE_"+e]},set:function(t){Object.defineProperty(this,e,{configurable:!0,writable:!0,value:t})}})});var Ct=m.event;m.event=function(e){return Ct&&(e=Ct(e)),e.persist=function(){},e.isPropagationStopped=function(){return this.cancelBubble},e.isDefaultPrevented=function(){return this.defaultPrevented},e.nativeEvent=e};var It,ro={configurable:!0,get:function(){return this.class}},Et=m.vnode;m.vnode=function(e){typeof e.type=="string"&&(function(t){var n=t.props,o=t.type,r={},s=o.indexOf("-")==-1;for(var i in n){var c=n[i];if(!(i==="value"&&"defaultValue"in n&&c==null||no&&i==="children"&&o==="noscript"||i==="class"||i==="className")){var d=i.toLowerCase();i==="defaultValue"&&"value"in n&&n.value==null?i="value":i==="download"&&c===!0?c="":d==="translate"&&c==="no"?c=!1:d[0]==="o"&&d[1]==="n"?d==="ondoubleclick"?i="ondblclick":d!=="onchange"||o!=="input"&&o!=="textarea"||oo(n.type)?d==="onfocus"?i="onfocusin":d==="onblur"?i="onfocusout":eo.test(i)&&(i=d):d=i="oninput":s&&Zn.test(i)?i=i.replace(to,"-$&").toLowerCase():c===null&&(c=void 0),d==="oninput"&&r[i=d]&&(i="oninputCapture"),r[i]=c}}o=="select"&&(r.multiple&&Array.isArray(r.value)&&(r.value=Z(n.children).forEach(function(l){l.props.selected=r.value.indexOf(l.props.value)!=-1})),r.defaultValue!=null&&(r.value=Z(n.children).forEach(function(l){l.props.selected=r.multiple?r.defaultValue.indexOf(l.props.value)!=-1:r.defaultValue==l.props.value}))),n.class&&!n.className?(r.class=n.class,Object.defineProperty(r,"className",ro)):n.className&&(r.class=r.className=n.className),t.props=r})(e),e.$$typeof=Jn,Et&&Et(e)};var Nt=m.__r;m.__r=function(e){Nt&&Nt(e),It=e.__c};var Rt=m.diffed;m.diffed=function(e){Rt&&Rt(e);var t=e.props,n=e.__e;n!=null&&e.type==="textarea"&&"value"in t&&t.value!==n.value&&(n.value=t.value==null?"":t.value),It=null};function Ot(e){return!!e.__k&&(Te(null,e),!0)}function Ht(e){return{render:function(t){Mt(t,e)},unmount:function(){Ot(e)}}}var so="Ask the authors",io=6,ao=/^(https?:\/\/|mailto:|\/(?!\/))/i;function be(e){if(!e||typeof e!="object")return;let{url:t,label:n}=e;if(typeof t!="string"||!ao.test(t.trim()))return;let o=typeof n=="string"&&n.trim()?n.trim():so;return{url:t.trim(),label:o}}function ge(e){if(!Array.isArray(e))return[];let t=[];for(let n of e){if(typeof n!="string")continue;let o=n.trim().slice(0,4e3);o&&!t.includes(o)&&t.push(o)}return t.slice(0,io)}function Pt(e){let t=(n,o)=>`${n} ${o}${n===1?"":"s"}`;return e>=3600?t(Math.ceil(e/3600),"hour"):e>=60?t(Math.ceil(e/60),"minute"):t(Math.max(1,Math.ceil(e)),"second")}var Dt=`/* bookchat widget: everything is scoped under .bookchat-root; colors follow data-theme. */
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
.bookchat-starters ul {
  list-style: none;
  margin: 0 0 12px;
  padding: 0;
  display: flex;
  flex-direction: column;
  gap: 6px;
}
.bookchat-starters-title {
  font-weight: 600;
}
.bookchat-starter {
  width: 100%;
  text-align: left;
  border: 1px solid var(--bc-border);
  border-radius: 8px;
  background: var(--bc-bg);
  color: var(--bc-fg);
  font: inherit;
  padding: 6px 10px;
  cursor: pointer;
}
.bookchat-starter:hover:not(:disabled) {
  border-color: var(--bc-accent);
}
.bookchat-starter:focus-visible,
.bookchat-help-link:focus-visible {
  outline: 2px solid var(--bc-accent);
  outline-offset: 2px;
}
.bookchat-help {
  margin: 6px 0 0;
  font-size: 14px;
}
.bookchat-help-link {
  color: var(--bc-accent);
  font-weight: 600;
  text-decoration: underline;
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
`;function lo(){let e=document.documentElement.getAttribute("data-theme");return e==="dark"||e==="light"?e:window.matchMedia?.("(prefers-color-scheme: dark)").matches?"dark":"light"}function $t(){let[e,t]=N("light");return C(()=>{let n=()=>t(lo());n();let o=new MutationObserver(n);o.observe(document.documentElement,{attributes:!0,attributeFilter:["data-theme"]});let r=window.matchMedia?.("(prefers-color-scheme: dark)");return r?.addEventListener?.("change",n),()=>{o.disconnect(),r?.removeEventListener?.("change",n)}},[]),e}function Ut(e,t){let n=e.querySelector(`meta[name="${t}"]`)?.getAttribute("content")?.trim();return n||void 0}function Ft(e,t){let n={};if(!e)return t?{locale:t}:n;let o=Ut(e,"docusaurus_version"),r=Ut(e,"docusaurus_locale")??t;return o&&(n.version=o),r&&(n.locale=r),n}var $e=/\[([^[\]\n]{1,200})\]/g;function Ue(e,t){let n=e.trim();if(/^\d+(\s*,\s*\d+)*$/.test(n)){let s=n.split(",").map(i=>Number.parseInt(i.trim(),10));return s.every(i=>i>=1&&i<=t.length)?s:null}let o=n.split(/\s*[,;]\s*/),r=[];for(let s of o){let i=t.findIndex(c=>c.metadata?.source===s);if(i===-1)return null;r.push(i+1)}return r.length?r:null}function uo(e,t){let n=[],o=0;$e.lastIndex=0;for(let r=$e.exec(e);r;r=$e.exec(e)){let s=r.index+r[0].length;if(e[s]==="(")continue;let i=Ue(r[1]??"",t);i&&(r.index>o&&n.push({type:"text",text:e.slice(o,r.index)}),n.push({type:"cite",indices:i,raw:r[0]}),o=s)}return o<e.length&&n.push({type:"text",text:e.slice(o)}),n}function qt(e,t){let n=new Set;for(let o of uo(e,t))o.type==="cite"&&o.indices.forEach(r=>n.add(r));return[...n].sort((o,r)=>o-r)}function Fe(e){let t=e.metadata??{},n=typeof t.title=="string"&&t.title?t.title:t.source??"Source",o=typeof t.heading=="string"?t.heading:"";return o&&o!==n?`${n} › ${o}`:String(n)}function Bt(e){let t=e.metadata??{};return typeof t.url!="string"||!t.url||!qe(t.url)?null:!t.url.includes("#")&&typeof t.anchor=="string"&&t.anchor?`${t.url}#${t.anchor}`:t.url}function qe(e){let t=e.trim();if(/[\u0000-\u001f]/.test(t))return!1;let n=/^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(t);return n?["http","https","mailto"].includes((n[1]??"").toLowerCase()):!0}var oe={messages:[]};function q(e,t,n){return{messages:e.messages.map(o=>o.id===t&&o.role==="assistant"?n(o):o)}}function Wt(e,t){switch(t.type){case"ask":return{messages:[...e.messages,t.user,{id:t.assistantId,role:"assistant",replyTo:t.user.id,content:"",status:"waiting",sources:[]}]};case"retry":return q(e,t.id,n=>({id:n.id,role:"assistant",replyTo:n.replyTo,content:"",status:"waiting",sources:[]}));case"sources":return q(e,t.id,n=>({...n,sources:t.sources,status:"streaming"}));case"delta":return q(e,t.id,n=>({...n,content:n.content+t.delta,status:"streaming"}));case"done":return q(e,t.id,n=>{let o=typeof t.done.answer=="string"?t.done.answer:n.content,r=Array.isArray(t.done.cited)?t.done.cited:qt(o,n.sources),s=be(t.done.help);return{...n,...s?{help:s}:{},content:o,status:"done",outcome:typeof t.done.outcome=="string"?t.done.outcome:"answered",cited:r,requestId:typeof t.done.request_id=="string"?t.done.request_id:n.requestId}});case"stopped":return q(e,t.id,n=>n.status==="waiting"||n.status==="streaming"?{...n,status:"stopped"}:n);case"failed":return q(e,t.id,n=>({...n,content:t.error.withdrawn?"":n.content,status:"error",error:t.error}));case"rate":return q(e,t.id,n=>({...n,rating:t.rating,feedback:t.feedback}));case"feedback":return q(e,t.id,n=>({...n,feedback:t.feedback}));case"clear":return oe}}function Kt(e,t){let n=[];for(let o of e.messages){if(o.id===t)break;o.role==="user"?n.push({role:"user",content:o.content}):(o.status==="done"||o.status==="stopped")&&o.content.trim()&&n.push({role:"assistant",content:o.content})}return n.filter(o=>o.content.trim()).slice(-50).map(o=>({role:o.role,content:o.content.length>8e3?o.content.slice(0,8e3):o.content}))}function jt(e){for(let t=e.messages.length-1;t>=0;t-=1){let n=e.messages[t];if(n&&n.role==="assistant"&&n.help)return n.help}}function ve(e){return e.messages.some(t=>t.role==="assistant"&&(t.status==="waiting"||t.status==="streaming"))}function fo(e){return!e||typeof e!="object"||!Array.isArray(e.messages)?oe:{messages:e.messages.filter(n=>!!n&&typeof n=="object"&&typeof n.id=="string"&&(n.role==="user"||n.role==="assistant")).map(n=>n.role==="assistant"&&(n.status==="waiting"||n.status==="streaming")?{...n,status:"stopped",sources:Array.isArray(n.sources)?n.sources:[]}:n.role==="assistant"?{...n,sources:Array.isArray(n.sources)?n.sources:[]}:n)}}function Vt(e,t){if(!e)return oe;try{let n=e.getItem(t);return n?fo(JSON.parse(n)):oe}catch{return oe}}function Qt(e,t,n){if(e)try{n.messages.length?e.setItem(t,JSON.stringify(n)):e.removeItem(t)}catch{}}var ye=class{constructor(){this.buffer="";this.eventName="";this.dataLines=[];this.sawData=!1;this.pendingCR=!1}push(t){let n=[],o=t;this.pendingCR&&(o.startsWith(`
`)&&(o=o.slice(1)),this.pendingCR=!1),this.buffer+=o;let r=0;for(let s=0;s<this.buffer.length;s++){let i=this.buffer[s];if(i!==`
`&&i!=="\r")continue;let c=this.buffer.slice(r,s);i==="\r"&&(s+1<this.buffer.length?this.buffer[s+1]===`
`&&s++:this.pendingCR=!0),r=s+1,this.line(c,n)}return this.buffer=this.buffer.slice(r),n}end(){return this.buffer="",this.reset(),[]}reset(){this.eventName="",this.dataLines=[],this.sawData=!1}line(t,n){if(t===""){if(this.sawData){let i={event:this.eventName||"message",data:this.dataLines.join(`
`)};this.lastId!==void 0&&(i.id=this.lastId),n.push(i)}this.reset();return}if(t.startsWith(":"))return;let o=t.indexOf(":"),r=o===-1?t:t.slice(0,o),s=o===-1?"":t.slice(o+1);switch(s.startsWith(" ")&&(s=s.slice(1)),r){case"event":this.eventName=s;break;case"data":this.dataLines.push(s),this.sawData=!0;break;case"id":s.includes("\0")||(this.lastId=s);break;default:break}}};var O=class extends Error{constructor(n,o,r,s,i,c=!1){super(o);this.kind=n;this.status=r;this.code=s;this.retryAfter=i;this.withdrawn=c;this.name="ApiError"}};function _o(e,t){return`${e.trim().replace(/\/+$/,"")}${t}`}function ho(e,t={}){let n={"Content-Type":"application/json",...t};return e.apiKey&&(n.Authorization=`Bearer ${e.apiKey}`),n}function mo(e,t=Date.now()){if(!e)return;if(/^\s*\d+\s*$/.test(e))return Number.parseInt(e,10);let n=Date.parse(e);if(!Number.isNaN(n))return Math.max(0,Math.ceil((n-t)/1e3))}async function Xt(e){let t,n=e.statusText||`HTTP ${e.status}`;try{let o=await e.json();o&&typeof o.error=="object"&&o.error&&(typeof o.error.code=="string"&&(t=o.error.code),typeof o.error.message=="string"&&(n=o.error.message))}catch{}return new O("http",n,e.status,t,mo(e.headers.get("Retry-After")))}function bo(){let e=globalThis.crypto;return e&&typeof e.randomUUID=="function"?e.randomUUID():void 0}async function Gt(e,t,n,o,r){let s=e.fetch??fetch,i={};r&&(i.Accept=r);let c=bo();c&&(i["X-Request-ID"]=c);try{return await s(_o(e.backend,t),{method:"POST",headers:ho(e,i),body:JSON.stringify(n),signal:o,credentials:"omit"})}catch(d){throw o?.aborted?d:new O("network",d instanceof Error?d.message:String(d))}}function ke(e){try{return JSON.parse(e)}catch{throw new O("protocol","The service sent an event that is not JSON.")}}async function ze(e,t,n,o){let r=await Gt(e,"/chat/stream",t,o,"text/event-stream");if(!r.ok)throw await Xt(r);if(!r.body)throw new O("protocol","The service sent no stream.");let s=r.body.getReader(),i=new TextDecoder,c=new ye;try{for(;;){let d;try{d=await s.read()}catch(h){throw o?.aborted?h:new O("network","The connection dropped while the answer was arriving.")}let l=d.done?i.decode():i.decode(d.value,{stream:!0}),p=c.push(l);d.done&&p.push(...c.end());for(let h of p)switch(h.event){case"sources":{let a=ke(h.data);n.onSources?.(Array.isArray(a.source_nodes)?a.source_nodes:[]);break}case"delta":{let a=ke(h.data);typeof a.delta=="string"&&a.delta&&n.onDelta?.(a.delta);break}case"done":{let a=ke(h.data);return n.onDone?.(a),a}case"error":{let a=ke(h.data),f=typeof a.retry_after=="number"?a.retry_after:void 0;throw new O("stream",a.message||"The answer failed.",void 0,a.code,f,a.withdrawn===!0)}default:break}if(d.done)throw new O("protocol","The answer stopped before it was complete.")}}finally{s.cancel().catch(()=>{})}}async function Yt(e,t,n){let o=await Gt(e,"/feedback",t,n);if(!o.ok)throw await Xt(o)}function We(){let e=globalThis.location?.origin;return e&&e!=="null"?e:void 0}function Be(e){return e.trim().replace(/\/+$/,"")||We()||"this site"}function go(e){let t=We(),n=t?`its BOOKCHAT_CORS_ORIGINS includes this site's origin, ${t}`:"its BOOKCHAT_CORS_ORIGINS includes this site's origin";return`Cannot reach the chat service at ${Be(e)}. Check that it is running and that ${n}.`}function Jt(e){return!(e.code==="budget_exhausted"||e.code==="origin_not_allowed")}function Zt(e,t=""){if(e.kind==="network")return go(t);if(e.kind==="stream"){let o=e.retryAfter!==void 0?` Try again in ${e.retryAfter} s.`:"";return e.withdrawn?`The partial answer was withdrawn: ${e.message}${o}`:`The answer was interrupted: ${e.message}${o}`}if(e.kind==="protocol")return e.message;let n=e.message?` ${e.message}`:"";switch(e.status){case 401:return"The chat service refused this site’s access key (401).";case 403:{let o=We(),r=o?` (${o})`:"";return e.code==="origin_not_allowed"?`The chat service at ${Be(t)} refused this site's origin${r} (403): add it to the service's BOOKCHAT_CORS_ORIGINS.`:`The chat service at ${Be(t)} refused the request (403).${n} If this site is new, check that the service's BOOKCHAT_CORS_ORIGINS includes its origin${r}.`}case 404:return"The chat service has no such endpoint (404): check the backend URL.";case 413:return"The question or the selected text is too long (413). Shorten it and try again.";case 422:return`The service could not accept this question (422).${n}`;case 429:return e.code==="budget_exhausted"?e.retryAfter!==void 0?`The chat has reached today's limit; try again in ${Pt(e.retryAfter)}.`:"The chat has reached today's limit; try again tomorrow.":e.retryAfter!==void 0?`Too many questions right now (429). Try again in ${e.retryAfter} s.`:"Too many questions right now (429). Try again in a moment.";case 502:return"The answering model returned an error (502).";case 503:return"The answering service is unavailable right now (503).";case 504:return"The answer took too long (504).";default:return`The chat service failed (${e.status??"error"}).${n}`}}function Q(){try{return window.sessionStorage}catch{return}}var je="Explain this passage.",vo=["page","version","locale"],en=0;function tn(e){return en+=1,`${e}-${Date.now().toString(36)}-${en}`}function nn(e){return e.replace(/```[\s\S]*?(```|$)/g," (code) ").replace(/[*_`#>]+/g,"").replace(/\s+/g," ").trim()}function yo(e,t){if(e instanceof O){let n={text:Zt(e,t),status:e.status,code:e.code,retryAfter:e.retryAfter};return e.withdrawn&&(n.withdrawn=!0),Jt(e)||(n.final=!0),n}return{text:"Something went wrong while asking. Try again."}}function on({config:e,storageKey:t,sendPage:n,pathname:o,docsContext:r}){let[s,i]=he(Wt,void 0,()=>Vt(Q(),t)),[c,d]=N(""),l=T(s);l.current=s;let p=T(null),h=T(new Set);C(()=>Qt(Q(),t,s),[s,t]),C(()=>()=>p.current?.abort(),[]);let a=D(async(_,g)=>{p.current?.abort();let x=new AbortController;p.current=x;let y={message:_.content},L=Kt(l.current,_.id);L.length&&(y.history=L),_.selectedText&&(y.selected_text=_.selectedText);let H=h.current;n&&_.page&&!H.has("page")&&(y.page=_.page),_.version&&!H.has("version")&&(y.version=_.version),_.locale&&!H.has("locale")&&(y.locale=_.locale);let P={onSources:R=>i({type:"sources",id:g,sources:R}),onDelta:R=>i({type:"delta",id:g,delta:R})};try{let R;try{R=await ze(e,y,P,x.signal)}catch(M){let j=M instanceof O&&M.status===422?vo.filter(B=>y[B]!==void 0&&new RegExp(`\\b${B}\\b`).test(M.message)):[];if(j.length){for(let B of j)H.add(B),delete y[B];R=await ze(e,y,P,x.signal)}else throw M}i({type:"done",id:g,done:R});let A=typeof R.answer=="string"?R.answer:"";d(R.outcome==="not_in_book"?`Not in the book. ${nn(A)}`:`Answer: ${nn(A)}`)}catch(R){if(x.signal.aborted)i({type:"stopped",id:g}),d("Answer stopped.");else{let A=yo(R,e.backend);i({type:"failed",id:g,error:A}),d(A.text)}}finally{p.current===x&&(p.current=null)}},[e,n]),f=D((_,g)=>{let x=(_.trim()||(g?je:"")).slice(0,4e3);if(!x||ve(l.current))return;let y={id:tn("u"),role:"user",content:x,page:o},L=r?.()??{};L.version&&(y.version=L.version),L.locale&&(y.locale=L.locale),g&&(y.selectedText=g.slice(0,8e3));let H=tn("a");i({type:"ask",user:y,assistantId:H}),a(y,H)},[o,r,a]),b=D(_=>{let g=l.current.messages.find(x=>x.id===_.replyTo&&x.role==="user");!g||ve(l.current)||(i({type:"retry",id:_.id}),a(g,_.id))},[a]),k=D(()=>p.current?.abort(),[]),v=D(()=>{p.current?.abort(),i({type:"clear"}),d("Conversation cleared.")},[]),w=D(async(_,g)=>{if(!_.requestId){i({type:"rate",id:_.id,rating:g,feedback:"unavailable"});return}i({type:"rate",id:_.id,rating:g,feedback:"sending"});try{await Yt(e,{request_id:_.requestId,rating:g}),i({type:"feedback",id:_.id,feedback:"sent"})}catch(x){let y=x instanceof O&&(x.status===404||x.status===405);i({type:"feedback",id:_.id,feedback:y?"unavailable":"failed"})}},[e]);return{messages:s.messages,busy:ve(s),announcement:c,ask:f,retry:b,stop:k,clear:v,rate:w}}function ko(e,t){if(e.body?.classList.contains("DocSearch--active"))return!0;for(let n of Array.from(e.querySelectorAll('[aria-modal="true"], .DocSearch-Modal'))){if(t?.contains(n)||n.hidden)continue;let o=n.getBoundingClientRect();if(o.width>0&&o.height>0)return!0}return!1}function rn(e){let[t,n]=N(!1);return C(()=>{let o=0,r=()=>{o=0,n(ko(document,e.current))},s=()=>{o||(o=window.requestAnimationFrame(r))},i=new MutationObserver(s);return i.observe(document.body,{childList:!0,subtree:!0,attributes:!0,attributeFilter:["class","aria-modal","hidden"]}),r(),()=>{i.disconnect(),o&&window.cancelAnimationFrame(o)}},[e]),t}var xo=12;function xe(e){let t=Number.parseFloat(e);return Number.isFinite(t)?t:0}function wo(e,t,n){let o=getComputedStyle(e);if(o.display==="none"||o.position!=="fixed")return;let r=xe(o.width),s=xe(o.height);if(!r||!s)return;let i=t-xe(o.right),c=n-xe(o.bottom);return{left:i-r,right:i,top:c-s,bottom:c}}function So(e){let t=e.documentElement.clientWidth,n=e.documentElement.clientHeight,o=[];for(let r of Array.from(e.querySelectorAll(".theme-back-to-top-button"))){let s=wo(r,t,n);s&&o.push(s)}for(let r of Array.from(e.querySelectorAll(".pagination-nav__link, [data-bookchat-avoid]"))){let s=r.getBoundingClientRect();s.width>0&&s.height>0&&s.bottom>0&&s.top<n&&o.push({left:s.left,right:s.right,top:s.top,bottom:s.bottom})}return o}function Co(e,t,n=xo){let o=0;for(let r=0;r<=t.length;r+=1){let s=!1;for(let i of t){let c=e.top-o,d=e.bottom-o,l=i.left<e.right+n&&i.right>e.left-n,p=i.top<d+n&&i.bottom>c-n;l&&p&&(o=Math.max(o,e.bottom-i.top+n),s=!0)}if(!s)break}return Math.round(o)}function sn(e,t,n){let[o,r]=N(0);return C(()=>{if(!t)return;let s=0,i=o,c=()=>{s=0;let p=e.current;if(!p)return;let h=p.getBoundingClientRect(),a={left:h.left,right:h.right,top:h.top+i,bottom:h.bottom+i},f=Co(a,So(document));f!==i&&(i=f,r(f))},d=()=>{s||(s=window.requestAnimationFrame(c))};c();let l=window.setTimeout(d,250);return window.addEventListener("scroll",d,{passive:!0}),window.addEventListener("resize",d),()=>{window.removeEventListener("scroll",d),window.removeEventListener("resize",d),window.clearTimeout(l),s&&window.cancelAnimationFrame(s)}},[t,n,e]),o}function an(e,t,n){let[o,r]=N(()=>Q()?.getItem(`${e}:open`)==="1"),s=T(o);return C(()=>{try{Q()?.setItem(`${e}:open`,o?"1":"0")}catch{}},[o,e]),C(()=>{o&&!s.current&&t.current?.focus(),!o&&s.current&&n.current?.focus(),s.current=o},[o,t,n]),C(()=>{o&&t.current?.focus({preventScroll:!0})},[]),[o,r]}var Eo=150;function cn(e){let[t,n]=N(null);C(()=>{let r,s=()=>{window.clearTimeout(r),r=window.setTimeout(()=>{let i=window.getSelection(),c=i?.toString().trim()??"";if(!i||i.rangeCount===0||c.length<2){n(null);return}let d=i.anchorNode;if(d&&e.current?.contains(d)){n(null);return}let l=i.getRangeAt(0).getBoundingClientRect();if(l.width===0&&l.height===0){n(null);return}let p=l.bottom+8,h=p+40>window.innerHeight?Math.max(8,l.top-44):p,a=Math.min(Math.max(8,l.left+l.width/2-70),window.innerWidth-150);n({text:c.slice(0,8e3),top:h,left:a})},Eo)};return document.addEventListener("selectionchange",s),document.addEventListener("pointerup",s),()=>{window.clearTimeout(r),document.removeEventListener("selectionchange",s),document.removeEventListener("pointerup",s)}},[e]);let o=D(()=>n(null),[]);return[t,o]}var re="Ctrl+Shift+K",ln="Control+Shift+K Meta+Shift+K";function un(e,t,n){let o=T(!1);C(()=>{let r=s=>{o.current=s.target instanceof Node&&!!n.current?.contains(s.target)};return document.addEventListener("focusin",r),document.addEventListener("pointerdown",r,!0),()=>{document.removeEventListener("focusin",r),document.removeEventListener("pointerdown",r,!0)}},[n]),C(()=>{let r=s=>{if((s.ctrlKey||s.metaKey)&&s.shiftKey&&!s.altKey&&s.key.toLowerCase()==="k"){s.preventDefault(),s.stopPropagation(),t(i=>!i);return}if(s.key==="Escape"&&e&&!s.defaultPrevented){let i=document.activeElement;(i&&i!==document.body?n.current?.contains(i):o.current)&&(s.preventDefault(),t(!1))}};return document.addEventListener("keydown",r),()=>document.removeEventListener("keydown",r)},[e,t,n])}var No=0;function u(e,t,n,o,r,s){t||(t={});var i,c,d=t;if("ref"in d)for(c in d={},t)c=="ref"?i=t[c]:d[c]=t[c];var l={type:e,props:d,key:n,ref:i,__k:null,__:null,__b:0,__e:null,__c:null,constructor:void 0,__v:--No,__i:-1,__u:0,__source:r,__self:s};if(typeof e=="function"&&(i=e.defaultProps))for(c in i)d[c]===void 0&&(d[c]=i[c]);return m.vnode&&m.vnode(l),l}function dn({buttonRef:e,title:t,panelId:n,onOpen:o}){return u("button",{ref:e,type:"button",className:"bookchat-launcher","aria-expanded":!1,"aria-controls":n,"aria-keyshortcuts":ln,title:`${t} (${re})`,onClick:o,children:[u("svg",{"aria-hidden":"true",viewBox:"0 0 24 24",width:"22",height:"22",children:u("path",{fill:"currentColor",d:"M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm3 6v2h2v-2H7zm4 0v2h2v-2h-2zm4 0v2h2v-2h-2z"})}),u("span",{className:"bookchat-launcher-label",children:t})]})}function pn({hint:e,onAsk:t}){return u("button",{type:"button",className:"bookchat-askselection",style:{top:e.top,left:e.left},onPointerDown:n=>n.preventDefault(),onMouseDown:n=>n.preventDefault(),onClick:t,children:"Ask about this"})}var _n=[],Ro=_n,fn=new Set;function Ao(e){return fn.add(e),()=>fn.delete(e)}function hn(){return De(Ao,()=>Ro,()=>_n)}function mn({inputRef:e,attached:t,onDetach:n,busy:o,onAsk:r,onStop:s}){let[i,c]=N(""),d=p=>{p.preventDefault(),!o&&(r(i,t),c(""),n())},l=p=>{p.key==="Enter"&&!p.shiftKey&&!p.nativeEvent.isComposing&&(p.preventDefault(),d(p))};return u("form",{className:"bookchat-composer",onSubmit:d,children:[t?u("div",{className:"bookchat-attached",children:[u("span",{className:"bookchat-attached-label",children:"Asking about:"}),u("q",{className:"bookchat-attached-text",children:t.length>160?`${t.slice(0,160)}…`:t}),u("button",{type:"button",className:"bookchat-iconbutton","aria-label":"Remove the selected passage",onClick:n,children:"×"})]}):null,u("div",{className:"bookchat-inputrow",children:[u("textarea",{ref:e,className:"bookchat-input",value:i,maxLength:4e3,rows:2,placeholder:t?je:"Ask a question about the book…","aria-label":"Your question",onChange:p=>c(p.target.value),onKeyDown:l}),o?u("button",{type:"button",className:"bookchat-send bookchat-stop",onClick:s,children:"Stop"}):u("button",{type:"submit",className:"bookchat-send",disabled:!i.trim()&&!t,children:"Send"})]})]})}var gn=/^ {0,3}(`{3,}|~{3,})\s*([\w+-]*)[^\n]*$/,vn=/^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/,se=/^( {0,3})([-*+]|\d{1,9}[.)])\s+(.*)$/,yn=/^ {0,3}([-*_])(\s*\1){2,}\s*$/,we=/^ {0,3}>\s?(.*)$/;function bn(e){return gn.test(e)||vn.test(e)||se.test(e)||we.test(e)||yn.test(e)}function kn(e){let t=e.replace(/\r\n?/g,`
`).split(`
`),n=[],o=0;for(;o<t.length;){let r=t[o]??"";if(!r.trim()){o++;continue}let s=gn.exec(r);if(s){let l=s[1]??"```",p=[];for(o++;o<t.length&&!(t[o]??"").trim().startsWith(l);)p.push(t[o]??""),o++;o++,n.push({kind:"code",lang:s[2]??"",text:p.join(`
`)});continue}let i=vn.exec(r);if(i){n.push({kind:"heading",level:(i[1]??"#").length,text:i[2]??""}),o++;continue}if(yn.test(r)){n.push({kind:"rule"}),o++;continue}if(we.test(r)){let l=[];for(;o<t.length&&we.test(t[o]??"");)l.push(we.exec(t[o]??"")?.[1]??""),o++;n.push({kind:"quote",text:l.join(`
`)});continue}let c=se.exec(r);if(c){let l=(c[1]??"").length,p=/\d/.test(c[2]??""),h=p?Number.parseInt(c[2]??"1",10):1,a=[],f=[];for(;o<t.length;){let b=t[o]??"",k=se.exec(b);if(k&&(k[1]??"").length<=l+1&&/\d/.test(k[2]??"")===p){f.length&&a.push(f.join(`
`)),f=[k[3]??""],o++;continue}if(!b.trim()){let v=t[o+1]??"";if(/^\s{2,}\S/.test(v)||se.exec(v)&&(se.exec(v)?.[1]??"").length<=l+1){f.push(""),o++;continue}break}if(/^\s{2,}/.test(b)){f.push(b.replace(/^\s{2,4}/,"")),o++;continue}if(bn(b))break;f.push(b.trim()),o++}f.length&&a.push(f.join(`
`)),n.push({kind:"list",ordered:p,start:h,items:a});continue}let d=[];for(;o<t.length&&(t[o]??"").trim()&&!(d.length&&bn(t[o]??""));)d.push((t[o]??"").trim()),o++;n.push({kind:"para",text:d.join(`
`)})}return n}var Lo=/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)|\*\*(?=\S)([\s\S]*?\S)\*\*|__(?=\S)([\s\S]*?\S)__|\*(?=[^\s*])([\s\S]*?[^\s*])\*|(?<![\w])_(?=[^\s_])([\s\S]*?[^\s_])_(?![\w])|\[([^[\]\n]+)\]\(([^()\s]+)(?:\s+"[^"\n]*")?\)|\[([^[\]\n]{1,200})\]|(\n)/g;function X(e,t,n){let o=[],r=0,s=0,i=new RegExp(Lo.source,"g");for(let c=i.exec(e);c;c=i.exec(e)){let d=`${n}.${s++}`;if(c.index>r&&o.push(e.slice(r,c.index)),r=c.index+c[0].length,c[1]!==void 0)o.push(u("code",{children:(c[2]??"").replace(/^ (.*) $/,"$1")},d));else if(c[3]!==void 0||c[4]!==void 0)o.push(u("strong",{children:X(c[3]??c[4]??"",t,d)},d));else if(c[5]!==void 0||c[6]!==void 0)o.push(u("em",{children:X(c[5]??c[6]??"",t,d)},d));else if(c[7]!==void 0){let l=c[8]??"",p=X(c[7],t,d);o.push(qe(l)?t.renderLink(l,p,d):u(I,{children:p},d))}else if(c[9]!==void 0){let l=Ue(c[9],t.sources);o.push(l?t.renderCite(l,c[0],d):c[0])}else c[10]!==void 0&&o.push(" ")}return r<e.length&&o.push(e.slice(r)),o}function xn(e,t,n){switch(e.kind){case"code":return u("pre",{className:"bookchat-code",children:u("code",{"data-lang":e.lang||void 0,children:e.text})},n);case"heading":{let o=e.level<=2?"h4":e.level===3?"h5":"h6";return u(o,{children:X(e.text,t,n)},n)}case"rule":return u("hr",{},n);case"quote":return u("blockquote",{children:wn(e.text,t,n)},n);case"list":{let o=e.items.map((r,s)=>u("li",{children:To(r,t,`${n}.${s}`)},`${n}.${s}`));return e.ordered?u("ol",{start:e.start===1?void 0:e.start,children:o},n):u("ul",{children:o},n)}case"para":return u("p",{children:X(e.text,t,n)},n)}}function To(e,t,n){let o=kn(e),r=o[0];return o.length===1&&r&&r.kind==="para"?X(r.text,t,n):o.map((s,i)=>xn(s,t,`${n}.${i}`))}function wn(e,t,n="md"){return kn(e).map((o,r)=>xn(o,t,`${n}.${r}`))}function Sn({text:e,ctx:t}){return u("div",{className:"bookchat-md",children:wn(e,t)})}function Cn({down:e=!1}){return u("svg",{"aria-hidden":"true",viewBox:"0 0 24 24",width:"16",height:"16",style:e?{transform:"rotate(180deg)"}:void 0,children:u("path",{fill:"currentColor",d:"M2 10h4v11H2zM8 21h9.4a2 2 0 0 0 1.96-1.6l1.5-7A2 2 0 0 0 18.9 10H14l.8-4.1A1.8 1.8 0 0 0 13 3.8L8 10z"})})}var Mo={sending:"",sent:"Thanks for the feedback.",unavailable:"Feedback is not available on this server.",failed:"Could not send the feedback."};function En({answer:e,onRate:t}){let n=e.feedback==="sending"||e.feedback==="sent";return u("div",{className:"bookchat-feedback",children:[u("span",{className:"bookchat-feedback-label",children:"Helpful?"}),u("button",{type:"button",className:"bookchat-thumb","aria-label":"Helpful","aria-pressed":e.rating==="up",disabled:n,onClick:()=>{t(e,"up")},children:u(Cn,{})}),u("button",{type:"button",className:"bookchat-thumb","aria-label":"Not helpful","aria-pressed":e.rating==="down",disabled:n,onClick:()=>{t(e,"down")},children:u(Cn,{down:!0})}),u("span",{className:"bookchat-feedback-state",role:"status",children:e.feedback?Mo[e.feedback]:""})]})}function ie({href:e,className:t,title:n,children:o,InternalLink:r,onNavigate:s}){let i=null;try{i=new URL(e,window.location.href)}catch{i=null}if(i&&i.origin===window.location.origin){let c=`${i.pathname}${i.search}${i.hash}`;return r?u(r,{to:c,className:t,title:n,onClick:s,children:o}):u("a",{href:c,className:t,title:n,onClick:s,children:o})}return u("a",{href:i?i.href:e,className:t,title:n,target:"_blank",rel:"noopener noreferrer",children:o})}function Ve({node:e,className:t,title:n,children:o,InternalLink:r,onNavigate:s}){let i=Bt(e);return i?u(ie,{href:i,className:t,title:n,InternalLink:r,onNavigate:s,children:o}):u("span",{className:t,title:n,children:o})}function Io(e){try{return new URL(e,window.location.href).origin!==window.location.origin}catch{return!0}}function Nn({help:e,notInBook:t,InternalLink:n,onNavigate:o}){let r=Io(e.url);return u("p",{className:"bookchat-help",children:[t?"The book has no answer to this: ":"Not what you needed? ",u(ie,{href:e.url,className:"bookchat-help-link",InternalLink:n,onNavigate:o,children:[e.label,r?u("span",{className:"bookchat-sr-only",children:" (opens in a new tab)"}):null]}),r?u("span",{"aria-hidden":"true",className:"bookchat-help-external",children:[" ","↗"]}):null]})}function Rn({message:e,...t}){return e.role==="user"?u("div",{className:"bookchat-msg bookchat-user",children:[e.selectedText?u("blockquote",{className:"bookchat-quote",children:e.selectedText.length>200?`${e.selectedText.slice(0,200)}…`:e.selectedText}):null,u("p",{children:e.content})]}):u(Oo,{answer:e,...t})}function Oo({answer:e,InternalLink:t,onNavigate:n,onRetry:o,onRate:r,busy:s,help:i}){let c=e.sources,d=e.outcome==="not_in_book",l=new Set(e.cited??[]),p=e.help??i,h={sources:c,renderCite:(a,f,b)=>u("span",{className:"bookchat-cites",children:a.map(k=>{let v=c[k-1];return v?u(Ve,{node:v,className:"bookchat-cite",title:Fe(v),InternalLink:t,onNavigate:n,children:["[",k,"]"]},`${b}.${k}`):null})},b),renderLink:(a,f,b)=>u(ie,{href:a,InternalLink:t,onNavigate:n,children:f},b)};return u("div",{className:`bookchat-msg bookchat-answer${d?" bookchat-notinbook":""}`,"data-status":e.status,"data-outcome":e.outcome,"aria-busy":e.status==="waiting"||e.status==="streaming",children:[d?u("p",{className:"bookchat-notice",children:[u("strong",{children:"Not in the book."})," The book does not cover this question."]}):null,e.status==="waiting"?u("p",{className:"bookchat-thinking",children:"Searching the book…"}):null,e.content?u(Sn,{text:e.content,ctx:h}):null,e.status==="streaming"&&!e.content?u("p",{className:"bookchat-thinking",children:"Writing…"}):null,e.status==="stopped"?u("p",{className:"bookchat-stopped",children:"Stopped."}):null,e.status==="error"&&e.error?u("div",{className:"bookchat-error",role:"alert",children:[u("span",{className:"bookchat-error-text",children:e.error.text}),e.error.final?null:u("button",{type:"button",className:"bookchat-retry",onClick:()=>o(e),disabled:s,children:"Retry"})]}):null,c.length&&e.status!=="error"?u("div",{className:"bookchat-sources",children:[u("p",{className:"bookchat-sources-title",children:d?"Closest passages":"Sources"}),u("ol",{children:c.map((a,f)=>u("li",{className:l.has(f+1)||a.cited?"bookchat-source bookchat-source-cited":"bookchat-source",children:[u("span",{className:"bookchat-source-n",children:["[",f+1,"]"]})," ",u(Ve,{node:a,className:"bookchat-source-link",InternalLink:t,onNavigate:n,children:Fe(a)})]},`${a.id}.${f}`))})]}):null,e.status==="done"?u(En,{answer:e,onRate:r}):null,e.status==="done"&&(d||e.rating==="down")&&p?u(Nn,{help:p,notInBook:d,InternalLink:t,onNavigate:n}):null]})}function An({questions:e,onAsk:t,disabled:n}){let o=K();return e.length?u("div",{className:"bookchat-starters",role:"group","aria-labelledby":o,children:[u("p",{id:o,className:"bookchat-starters-title",children:"For example:"}),u("ul",{children:e.map(r=>u("li",{children:u("button",{type:"button",className:"bookchat-starter",disabled:n,onClick:()=>t(r),children:r})},r))})]}):null}function Ln({messages:e,open:t,starters:n,onAsk:o,...r}){let s=T(null);return C(()=>{let i=s.current;i&&(i.scrollTop=i.scrollHeight)},[e,t]),u("div",{ref:s,className:"bookchat-log",role:"region","aria-label":"Conversation",children:e.length===0?u("div",{className:"bookchat-empty",children:[u("p",{children:"Ask a question about this book: the answer cites the sections it comes from."}),u(An,{questions:n,onAsk:o,disabled:r.busy}),u("p",{children:"Select text on a page and choose “Ask about this” to ask about a passage."}),u("p",{children:["Open or close this panel with ",u("kbd",{children:re}),"; ",u("kbd",{children:"Esc"})," closes it."]})]}):e.map(i=>u(Rn,{message:i,...r},i.id))})}function Tn({id:e,title:t,open:n,onClose:o,onClear:r,chat:s,composer:i,InternalLink:c,onNavigate:d,starters:l,help:p}){let h=K();return u("section",{id:e,className:"bookchat-panel",role:"dialog","aria-modal":"false","aria-labelledby":h,hidden:!n,children:[u("header",{className:"bookchat-header",children:[u("h2",{id:h,className:"bookchat-title",children:t}),u("button",{type:"button",className:"bookchat-iconbutton",onClick:r,disabled:!s.messages.length,title:"Clear the conversation",children:"Clear"}),u("button",{type:"button",className:"bookchat-iconbutton bookchat-close",onClick:o,"aria-label":"Close the chat (Esc)",title:"Close (Esc)",children:"×"})]}),u(Ln,{messages:s.messages,open:n,InternalLink:c,onNavigate:d,onRetry:s.retry,onRate:s.rate,busy:s.busy,help:p,starters:l??[],onAsk:a=>s.ask(a,null)}),u(mn,{...i,busy:s.busy,onAsk:s.ask,onStop:s.stop})]})}var Ho="(max-width: 600px)";function Mn(e){let{backend:t,apiKey:n,title:o="Ask the book",sendPage:r=!0,colorMode:s,pathname:i,locale:c,InternalLink:d}=e,{helpUrl:l,helpLabel:p,starterQuestions:h}=e,a=V(()=>({backend:t,apiKey:n}),[t,n]),f=`bookchat:v1:${t||"same-origin"}`,b=T(null),k=T(null),v=T(null),w=K(),_=D(()=>Ft(typeof document>"u"?void 0:document,c),[c]),g=on({config:a,storageKey:f,sendPage:r,pathname:i,docsContext:_}),[x,y]=an(f,v,k);un(x,y,b);let L=rn(b),H=sn(k,!x,i),[P,R]=cn(b),[A,M]=N(null),j=hn(),B=V(()=>j.length?[...j]:ge(h),[j,h]),On=jt({messages:g.messages})??be(l?{url:l,label:p}:void 0),Hn=()=>{P&&(M(P.text),R(),y(!0),window.setTimeout(()=>v.current?.focus(),0))},Pn=()=>{g.clear(),v.current?.focus()},Dn=()=>{window.matchMedia?.(Ho).matches&&y(!1)};return u("div",{ref:b,className:"bookchat-root","data-theme":s,"data-bookchat":"","data-behind":L?"":void 0,style:{"--bookchat-lift":`${H}px`},children:[P&&!g.busy?u(pn,{hint:P,onAsk:Hn}):null,x?null:u(dn,{buttonRef:k,title:o,panelId:w,onOpen:()=>y(!0)}),u(Tn,{id:w,title:o,open:x,onClose:()=>y(!1),onClear:Pn,chat:g,composer:{inputRef:v,attached:A,onDetach:()=>M(null)},InternalLink:d,onNavigate:Dn,starters:B,help:On}),u("div",{className:"bookchat-sr-only","aria-live":"polite","aria-atomic":"true",role:"status",children:g.announcement})]})}function Po(e){let t=$t(),[n,o]=N(window.location.pathname);return C(()=>{let r=()=>o(window.location.pathname);return window.addEventListener("popstate",r),()=>window.removeEventListener("popstate",r)},[]),u(Mn,{...e,colorMode:t,pathname:n})}function Do(e){let t=e?.dataset??{},n={backend:(t.backend??"").trim().replace(/\/+$/,"")};if(t.apiKey&&(n.apiKey=t.apiKey),t.title&&(n.title=t.title),t.sendPage==="false"&&(n.sendPage=!1),t.helpUrl&&(n.helpUrl=t.helpUrl),t.helpLabel&&(n.helpLabel=t.helpLabel),t.starterQuestions)try{n.starterQuestions=ge(JSON.parse(t.starterQuestions))}catch{}return n}var $o=document.currentScript;function In(){if(document.querySelector("[data-bookchat-host]"))return;let e=document.createElement("style");e.setAttribute("data-bookchat-style",""),e.textContent=Dt,document.head.appendChild(e);let t=document.createElement("div");t.setAttribute("data-bookchat-host",""),document.body.appendChild(t),Ht(t).render(u(Po,{...Do($o)}))}document.readyState==="loading"?document.addEventListener("DOMContentLoaded",In):In();})();
