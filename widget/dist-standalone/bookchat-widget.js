/*! bookchat widget (standalone) | includes Preact, MIT License, Copyright (c) 2015-present Jason Miller */
"use strict";(()=>{var me,m,tt,Cn,W,Ze,nt,ot,Ae,de,ee,rt,Ie,Me,Te,Nn,pe={},_e=[],En=/acit|ex(?:s|g|n|p|$)|rph|grid|ows|mnc|ntw|ine[ch]|zoo|^ord|itera/i,te=Array.isArray;function q(e,t){for(var n in t)e[n]=t[n];return e}function Le(e){e&&e.parentNode&&e.parentNode.removeChild(e)}function ne(e,t,n){var o,r,s,a={};for(s in t)s=="key"?o=t[s]:s=="ref"?r=t[s]:a[s]=t[s];if(arguments.length>2&&(a.children=arguments.length>3?me.call(arguments,2):n),typeof e=="function"&&e.defaultProps!=null)for(s in e.defaultProps)a[s]===void 0&&(a[s]=e.defaultProps[s]);return fe(e,a,o,r,null)}function fe(e,t,n,o,r){var s={type:e,props:t,key:n,ref:o,__k:null,__:null,__b:0,__e:null,__c:null,constructor:void 0,__v:r??++tt,__i:-1,__u:0};return r==null&&m.vnode!=null&&m.vnode(s),s}function T(e){return e.children}function $(e,t){this.props=e,this.context=t}function Y(e,t){if(t==null)return e.__?Y(e.__,e.__i+1):null;for(var n;t<e.__k.length;t++)if((n=e.__k[t])!=null&&n.__e!=null)return n.__e;return typeof e.type=="function"?Y(e):null}function Rn(e){if(e.__P&&e.__d){var t=e.__v,n=t.__e,o=[],r=[],s=q({},t);s.__v=t.__v+1,m.vnode&&m.vnode(s),De(e.__P,s,t,e.__n,e.__P.namespaceURI,32&t.__u?[n]:null,o,n??Y(t),!!(32&t.__u),r),s.__v=t.__v,s.__.__k[s.__i]=s,ut(o,s,r),t.__e=t.__=null,s.__e!=n&&st(s)}}function st(e){if((e=e.__)!=null&&e.__c!=null)return e.__e=e.__c.base=null,e.__k.some(function(t){if(t!=null&&t.__e!=null)return e.__e=e.__c.base=t.__e}),st(e)}function Ge(e){(!e.__d&&(e.__d=!0)&&W.push(e)&&!he.__r++||Ze!=m.debounceRendering)&&((Ze=m.debounceRendering)||nt)(he)}function he(){try{for(var e,t=1;W.length;)W.length>t&&W.sort(ot),e=W.shift(),t=W.length,Rn(e)}finally{W.length=he.__r=0}}function at(e,t,n,o,r,s,a,c,l,u,f){var _,i,p,b,S,y,x=o&&o.__k||_e,g=t.length;for(l=An(n,t,x,l,g),_=0;_<g;_++)(p=n.__k[_])!=null&&(i=p.__i!=-1&&x[p.__i]||pe,p.__i=_,y=De(e,p,i,r,s,a,c,l,u,f),b=p.__e,p.ref&&i.ref!=p.ref&&(i.ref&&Pe(i.ref,null,p),f.push(p.ref,p.__c||b,p)),S==null&&b!=null&&(S=b),4&p.__u?(l=it(p,l,e),i.__e&&(i.__e=null)):typeof p.type=="function"&&y!==void 0?l=y:b&&(l=b.nextSibling),p.__u&=-7);return n.__e=S,l}function An(e,t,n,o,r){var s,a,c,l,u,f=n.length,_=f,i=0;for(e.__k=new Array(r),s=0;s<r;s++)(a=t[s])!=null&&typeof a!="boolean"&&typeof a!="function"?(typeof a=="string"||typeof a=="number"||typeof a=="bigint"||a.constructor==String?a=e.__k[s]=fe(null,a,null,null,null):te(a)?a=e.__k[s]=fe(T,{children:a},null,null,null):a.constructor===void 0&&a.__b>0?a=e.__k[s]=fe(a.type,a.props,a.key,a.ref?a.ref:null,a.__v):e.__k[s]=a,l=s+i,a.__=e,a.__b=e.__b+1,c=null,(u=a.__i=Mn(a,n,l,_))!=-1&&(_--,(c=n[u])&&(c.__u|=2)),c==null||c.__v==null?(u==-1&&(r>f?i--:r<f&&i++),typeof a.type!="function"&&(a.__u|=4)):u!=l&&(u==l-1?i--:u==l+1?i++:(u>l?i--:i++,a.__u|=4))):e.__k[s]=null;if(_)for(s=0;s<f;s++)(c=n[s])!=null&&(2&c.__u)==0&&(c.__e==o&&(o=Y(c)),dt(c,c));return o}function it(e,t,n){var o,r;if(typeof e.type=="function"){for(o=e.__k,r=0;o&&r<o.length;r++)o[r]&&(o[r].__=e,t=it(o[r],t,n));return t}e.__e!=t&&(t&&e.type&&!t.parentNode&&(t=Y(e)),t=n.insertBefore(e.__e,t||null));do t=t&&t.nextSibling;while(t!=null&&t.nodeType==8);return t}function oe(e,t){return t=t||[],e==null||typeof e=="boolean"||(te(e)?e.some(function(n){oe(n,t)}):t.push(e)),t}function Mn(e,t,n,o){var r,s,a,c=e.key,l=e.type,u=t[n],f=u!=null&&(2&u.__u)==0;if(u===null&&c==null||f&&c==u.key&&l==u.type)return n;if(o>(f?1:0)){for(r=n-1,s=n+1;r>=0||s<t.length;)if((u=t[a=r>=0?r--:s++])!=null&&(2&u.__u)==0&&c==u.key&&l==u.type)return a}return-1}function Qe(e,t,n){t[0]=="-"?e.setProperty(t,n??""):e[t]=n==null?"":typeof n!="number"||En.test(t)?n:n+"px"}function le(e,t,n,o,r){var s,a;e:if(t=="style")if(typeof n=="string")e.style.cssText=n;else{if(typeof o=="string"&&(e.style.cssText=o=""),o)for(t in o)n&&t in n||Qe(e.style,t,"");if(n)for(t in n)o&&n[t]==o[t]||Qe(e.style,t,n[t])}else if(t[0]=="o"&&t[1]=="n")s=t!=(t=t.replace(rt,"$1")),a=t.toLowerCase(),t=a in e||t=="onFocusOut"||t=="onFocusIn"?a.slice(2):t.slice(2),e.l||(e.l={}),e.l[t+s]=n,n?o?n[ee]=o[ee]:(n[ee]=Ie,e.addEventListener(t,s?Te:Me,s)):e.removeEventListener(t,s?Te:Me,s);else{if(r=="http://www.w3.org/2000/svg")t=t.replace(/xlink(H|:h)/,"h").replace(/sName$/,"s");else if(t!="width"&&t!="height"&&t!="href"&&t!="list"&&t!="form"&&t!="tabIndex"&&t!="download"&&t!="rowSpan"&&t!="colSpan"&&t!="role"&&t!="popover"&&t in e)try{e[t]=n??"";break e}catch{}typeof n=="function"||(n==null||n===!1&&t[4]!="-"?e.removeAttribute(t):e.setAttribute(t,t=="popover"&&n==1?"":n))}}function et(e){return function(t){if(this.l){var n=this.l[t.type+e];if(t[de]==null)t[de]=Ie++;else if(t[de]<n[ee])return;return n(m.event?m.event(t):t)}}}function De(e,t,n,o,r,s,a,c,l,u){var f,_,i,p,b,S,y,x,g,E,V,L,P,H,j,X,M=t.type;if(t.constructor!==void 0)return null;128&n.__u&&(l=!!(32&n.__u),s=[c=t.__e=n.__e]),(f=m.__b)&&f(t);e:if(typeof M=="function"){_=a.length;try{if(g=t.props,E=M.prototype&&M.prototype.render,V=(f=M.contextType)&&o[f.__c],L=f?V?V.props.value:f.__:o,n.__c?x=(i=t.__c=n.__c).__=i.__E:(E?t.__c=i=new M(g,L):(t.__c=i=new $(g,L),i.constructor=M,i.render=In),V&&V.sub(i),i.state||(i.state={}),i.__n=o,p=i.__d=!0,i.__h=[],i._sb=[]),E&&i.__s==null&&(i.__s=i.state),E&&M.getDerivedStateFromProps!=null&&(i.__s==i.state&&(i.__s=q({},i.__s)),q(i.__s,M.getDerivedStateFromProps(g,i.__s))),b=i.props,S=i.state,i.__v=t,p)E&&M.getDerivedStateFromProps==null&&i.componentWillMount!=null&&i.componentWillMount(),E&&i.componentDidMount!=null&&i.__h.push(i.componentDidMount);else{if(E&&M.getDerivedStateFromProps==null&&g!==b&&i.componentWillReceiveProps!=null&&i.componentWillReceiveProps(g,L),t.__v==n.__v||!i.__e&&i.shouldComponentUpdate!=null&&i.shouldComponentUpdate(g,i.__s,L)===!1){t.__v!=n.__v&&(i.props=g,i.state=i.__s,i.__d=!1),t.__e=n.__e,t.__k=n.__k,t.__k.some(function(D){D&&(D.__=t)}),_e.push.apply(i.__h,i._sb),i._sb=[],i.__h.length&&a.push(i),c=Y(n);break e}i.componentWillUpdate!=null&&i.componentWillUpdate(g,i.__s,L),E&&i.componentDidUpdate!=null&&i.__h.push(function(){i.componentDidUpdate(b,S,y)})}if(i.context=L,i.props=g,i.__P=e,i.__e=!1,P=m.__r,H=0,E)i.state=i.__s,i.__d=!1,P&&P(t),f=i.render(i.props,i.state,i.context),_e.push.apply(i.__h,i._sb),i._sb=[];else do i.__d=!1,P&&P(t),f=i.render(i.props,i.state,i.context),i.state=i.__s;while(i.__d&&++H<25);i.state=i.__s,i.getChildContext!=null&&(o=q(q({},o),i.getChildContext())),E&&!p&&i.getSnapshotBeforeUpdate!=null&&(y=i.getSnapshotBeforeUpdate(b,S)),j=f!=null&&f.type===T&&f.key==null?lt(f.props.children):f,c=at(e,te(j)?j:[j],t,n,o,r,s,a,c,l,u),i.base=t.__e,t.__u&=-161,i.__h.length&&a.push(i),x&&(i.__E=i.__=null)}catch(D){if(a.length=_,t.__v=null,l||s!=null){if(D.then){for(t.__u|=l?160:128;c&&c.nodeType==8&&c.nextSibling;)c=c.nextSibling;s!=null&&(s[s.indexOf(c)]=null),t.__e=c}else if(s!=null)for(X=s.length;X--;)Le(s[X])}else t.__e=n.__e;t.__k==null&&(t.__k=n.__k||[]),D.then||ct(t),m.__e(D,t,n)}}else s==null&&t.__v==n.__v?(t.__k=n.__k,t.__e=n.__e):c=t.__e=Tn(n.__e,t,n,o,r,s,a,l,u);return(f=m.diffed)&&f(t),128&t.__u?void 0:c}function ct(e){e&&(e.__c&&(e.__c.__e=!0),e.__k&&e.__k.some(ct))}function ut(e,t,n){for(var o=0;o<n.length;o++)Pe(n[o],n[++o],n[++o]);m.__c&&m.__c(t,e),e.some(function(r){try{e=r.__h,r.__h=[],e.some(function(s){s.call(r)})}catch(s){m.__e(s,r.__v)}})}function lt(e){return typeof e!="object"||e==null||e.__b>0?e:te(e)?e.map(lt):e.constructor!==void 0?null:q({},e)}function Tn(e,t,n,o,r,s,a,c,l){var u,f,_,i,p,b,S,y=n.props||pe,x=t.props,g=t.type;if(g=="svg"?r="http://www.w3.org/2000/svg":g=="math"?r="http://www.w3.org/1998/Math/MathML":r||(r="http://www.w3.org/1999/xhtml"),s!=null){for(u=0;u<s.length;u++)if((p=s[u])&&"setAttribute"in p==!!g&&(g?p.localName==g:p.nodeType==3)){e=p,s[u]=null;break}}if(e==null){if(g==null)return document.createTextNode(x);e=document.createElementNS(r,g,x.is&&x),c&&(m.__m&&m.__m(t,s),c=!1),s=null}if(g==null)y===x||c&&e.data==x||(e.data=x);else{if(s=g=="textarea"&&x.defaultValue!=null?null:s&&me.call(e.childNodes),!c&&s!=null)for(y={},u=0;u<e.attributes.length;u++)y[(p=e.attributes[u]).name]=p.value;for(u in y)p=y[u],u=="dangerouslySetInnerHTML"?_=p:u=="children"||u in x||u=="value"&&"defaultValue"in x||u=="checked"&&"defaultChecked"in x||le(e,u,null,p,r);for(u in x)p=x[u],u=="children"?i=p:u=="dangerouslySetInnerHTML"?f=p:u=="value"?b=p:u=="checked"?S=p:c&&typeof p!="function"||y[u]===p||le(e,u,p,y[u],r);if(f)c||_&&(f.__html==_.__html||f.__html==e.innerHTML)||(e.innerHTML=f.__html),t.__k=[];else if(_&&(e.innerHTML=""),at(t.type=="template"?e.content:e,te(i)?i:[i],t,n,o,g=="foreignObject"?"http://www.w3.org/1999/xhtml":r,s,a,s?s[0]:n.__k&&Y(n,0),c,l),s!=null)for(u=s.length;u--;)Le(s[u]);c&&g!="textarea"||(u="value",g=="progress"&&b==null?e.removeAttribute("value"):b!=null&&(b!==e[u]||g=="progress"&&!b||g=="option"&&b!=y[u])&&le(e,u,b,y[u],r),u="checked",S!=null&&S!=e[u]&&le(e,u,S,y[u],r))}return e}function Pe(e,t,n){try{if(typeof e=="function"){var o=typeof e.__u=="function";o&&e.__u(),o&&t==null||(e.__u=e(t))}else e.current=t}catch(r){m.__e(r,n)}}function dt(e,t,n){var o,r;if(m.unmount&&m.unmount(e),(o=e.ref)&&(o.current&&o.current!=e.__e||Pe(o,null,t)),(o=e.__c)!=null){if(o.componentWillUnmount)try{o.componentWillUnmount()}catch(s){m.__e(s,t)}o.base=o.__P=o.__n=null}if(o=e.__k)for(r=0;r<o.length;r++)o[r]&&dt(o[r],t,n||typeof e.type!="function");n||Le(e.__e),e.__c=e.__=e.__e=void 0}function In(e,t,n){return this.constructor(e,n)}function $e(e,t,n){var o,r,s,a;t==document&&(t=document.documentElement),m.__&&m.__(e,t),r=(o=typeof n=="function")?null:n&&n.__k||t.__k,s=[],a=[],De(t,e=(!o&&n||t).__k=ne(T,null,[e]),r||pe,pe,t.namespaceURI,!o&&n?[n]:r?null:t.firstChild?me.call(t.childNodes):null,s,!o&&n?n:r?r.__e:t.firstChild,o,a),ut(s,e,a),e.props.children=null}me=_e.slice,m={__e:function(e,t,n,o){for(var r,s,a;t=t.__;)if((r=t.__c)&&!r.__)try{if((s=r.constructor)&&s.getDerivedStateFromError!=null&&(r.setState(s.getDerivedStateFromError(e)),a=r.__d),r.componentDidCatch!=null&&(r.componentDidCatch(e,o||{}),a=r.__d),a)return r.__E=r}catch(c){e=c}throw e}},tt=0,Cn=function(e){return e!=null&&e.constructor===void 0},$.prototype.setState=function(e,t){var n;n=this.__s!=null&&this.__s!=this.state?this.__s:this.__s=q({},this.state),typeof e=="function"&&(e=e(q({},n),this.props)),e&&q(n,e),e!=null&&this.__v&&(t&&this._sb.push(t),Ge(this))},$.prototype.forceUpdate=function(e){this.__v&&(this.__e=!0,e&&this.__h.push(e),Ge(this))},$.prototype.render=T,W=[],nt=typeof Promise=="function"?Promise.prototype.then.bind(Promise.resolve()):setTimeout,ot=function(e,t){return e.__v.__b-t.__v.__b},he.__r=0,Ae=Math.random().toString(8),de="__d"+Ae,ee="__a"+Ae,rt=/(PointerCapture)$|Capture$/i,Ie=0,Me=et(!1),Te=et(!0),Nn=0;var G,w,Ue,ft,re=0,yt=[],C=m,pt=C.__b,_t=C.__r,ht=C.diffed,mt=C.__c,bt=C.unmount,gt=C.__;function ge(e,t){C.__h&&C.__h(w,e,re||t),re=0;var n=w.__H||(w.__H={__:[],__h:[]});return e>=n.__.length&&n.__.push({}),n.__[e]}function U(e){return re=1,ve(xt,e)}function ve(e,t,n){var o=ge(G++,2);if(o.t=e,!o.__c&&(o.__=[n?n(t):xt(void 0,t),function(c){var l=o.__N?o.__N[0]:o.__[0],u=o.t(l,c);l!==u&&(o.__N=[u,o.__[1]],o.__c.setState({}))}],o.__c=w,!w.__f)){var r=function(c,l,u){if(!o.__c.__H)return!0;var f=!1,_=o.__c.props!==c;if(o.__c.__H.__.some(function(p){if(p.__N){f=!0;var b=p.__[0];p.__=p.__N,p.__N=void 0,b!==p.__[0]&&(_=!0)}}),s){var i=s.call(this,c,l,u);return f?i||_:i}return!f||_};w.__f=!0;var s=w.shouldComponentUpdate,a=w.componentWillUpdate;w.componentWillUpdate=function(c,l,u){if(this.__e){var f=s;s=void 0,r(c,l,u),s=f}a&&a.call(this,c,l,u)},w.shouldComponentUpdate=r}return o.__N||o.__}function A(e,t){var n=ge(G++,3);!C.__s&&kt(n.__H,t)&&(n.__=e,n.u=t,w.__H.__h.push(n))}function O(e){return re=5,se(function(){return{current:e}},[])}function se(e,t){var n=ge(G++,7);return kt(n.__H,t)&&(n.__=e(),n.__H=t,n.__h=e),n.__}function B(e,t){return re=8,se(function(){return e},t)}function ye(){var e=ge(G++,11);if(!e.__){for(var t=w.__v;t!==null&&!t.__m&&t.__!==null;)t=t.__;var n=t.__m||(t.__m=[0,0]);e.__="P"+n[0]+"-"+n[1]++}return e.__}function Ln(){for(var e;e=yt.shift();){var t=e.__H;if(e.__P&&t)try{t.__h.some(be),t.__h.some(He),t.__h=[]}catch(n){t.__h=[],C.__e(n,e.__v)}}}C.__b=function(e){w=null,pt&&pt(e)},C.__=function(e,t){e&&t.__k&&t.__k.__m&&(e.__m=t.__k.__m),gt&&gt(e,t)},C.__r=function(e){_t&&_t(e),G=0;var t=(w=e.__c).__H;t&&(Ue===w?(t.__h=[],w.__h=[],t.__.some(function(n){n.__N&&(n.__=n.__N),n.u=n.__N=void 0})):(t.__h.some(be),t.__h.some(He),t.__h=[],G=0)),Ue=w},C.diffed=function(e){ht&&ht(e);var t=e.__c;t&&t.__H&&(t.__H.__h.length&&(yt.push(t)!==1&&ft===C.requestAnimationFrame||((ft=C.requestAnimationFrame)||Dn)(Ln)),t.__H.__.some(function(n){n.u&&(n.__H=n.u,n.u=void 0)})),Ue=w=null},C.__c=function(e,t){t.some(function(n){try{n.__h.some(be),n.__h=n.__h.filter(function(o){return!o.__||He(o)})}catch(o){t.some(function(r){r.__h&&(r.__h=[])}),t=[],C.__e(o,n.__v)}}),mt&&mt(e,t)},C.unmount=function(e){bt&&bt(e);var t,n=e.__c;n&&n.__H&&(n.__H.__.some(function(o){try{be(o)}catch(r){t=r}}),n.__H=void 0,t&&C.__e(t,n.__v))};var vt=typeof requestAnimationFrame=="function";function Dn(e){var t,n=function(){clearTimeout(o),vt&&cancelAnimationFrame(t),setTimeout(e)},o=setTimeout(n,35);vt&&(t=requestAnimationFrame(n))}function be(e){var t=w,n=e.__c;typeof n=="function"&&(e.__c=void 0,n()),w=t}function He(e){var t=w;e.__c=e.__(),w=t}function kt(e,t){return!e||e.length!==t.length||t.some(function(n,o){return n!==e[o]})}function xt(e,t){return typeof t=="function"?t(e):t}function Un(e,t){for(var n in t)e[n]=t[n];return e}function wt(e,t){for(var n in e)if(n!=="__source"&&!(n in t))return!0;for(var o in t)if(o!=="__source"&&e[o]!==t[o])return!0;return!1}function St(e,t){this.props=e,this.context=t}(St.prototype=new $).isPureReactComponent=!0,St.prototype.shouldComponentUpdate=function(e,t){return wt(this.props,e)||wt(this.state,t)};var Ct=m.__b;m.__b=function(e){e.type&&e.type.__f&&e.ref&&(e.props.ref=e.ref,e.ref=null),Ct&&Ct(e)};var wo=typeof Symbol<"u"&&Symbol.for&&Symbol.for("react.forward_ref")||3911;var Hn=m.__e;m.__e=function(e,t,n,o){if(e.then){for(var r,s=t;s=s.__;)if((r=s.__c)&&r.__c)return t.__e==null&&(t.__e=n.__e,t.__k=n.__k||[]),r.__c(e,t)}Hn(e,t,n,o)};var Nt=m.unmount;function It(e,t,n){return e&&(e.__c&&e.__c.__H&&(e.__c.__H.__.forEach(function(o){typeof o.__c=="function"&&o.__c()}),e.__c.__H=null),(e=Un({},e)).__c!=null&&(e.__c.__P===n&&(e.__c.__P=t),e.__c.__e=!0,e.__c=null),e.__k=e.__k&&e.__k.map(function(o){return It(o,t,n)})),e}function Lt(e,t,n){return e&&n&&(e.__v=null,e.__k=e.__k&&e.__k.map(function(o){return Lt(o,t,n)}),e.__c&&e.__c.__P===t&&(e.__e&&n.appendChild(e.__e),e.__c.__e=!0,e.__c.__P=n)),e}function Oe(){this.__u=0,this.o=null,this.__b=null}function Dt(e){var t=e.__&&e.__.__c;return t&&t.__a&&t.__a(e)}function ke(){this.i=null,this.l=null}m.unmount=function(e){var t=e.__c;t&&(t.__z=!0),t&&t.__R&&t.__R(),t&&32&e.__u&&(e.type=null),Nt&&Nt(e)},(Oe.prototype=new $).__c=function(e,t){var n=t.__c,o=this;o.o==null&&(o.o=[]),o.o.push(n);var r=Dt(o.__v),s=!1,a=function(){s||o.__z||(s=!0,n.__R=null,r?r(l):l())};n.__R=a;var c=n.__P;n.__P=null;var l=function(){if(!--o.__u){if(o.state.__a){var u=o.state.__a;o.__v.__k[0]=Lt(u,u.__c.__P,u.__c.__O)}var f;for(o.setState({__a:o.__b=null});f=o.o.pop();)f.__P=c,f.forceUpdate()}};o.__u++||32&t.__u||o.setState({__a:o.__b=o.__v.__k[0]}),e.then(a,a)},Oe.prototype.componentWillUnmount=function(){this.o=[]},Oe.prototype.render=function(e,t){if(this.__b){if(this.__v.__k){var n=document.createElement("div"),o=this.__v.__k[0].__c;this.__v.__k[0]=It(this.__b,n,o.__O=o.__P)}this.__b=null}var r=t.__a&&ne(T,null,e.fallback);return r&&(r.__u&=-33),[ne(T,null,t.__a?null:e.children),r]};var Et=function(e,t,n){if(++n[1]===n[0]&&e.l.delete(t),e.props.revealOrder&&(e.props.revealOrder[0]!=="t"||!e.l.size))for(n=e.i;n;){for(;n.length>3;)n.pop()();if(n[1]<n[0])break;e.i=n=n[2]}};(ke.prototype=new $).__a=function(e){var t=this,n=Dt(t.__v),o=t.l.get(e);return o[0]++,function(r){var s=function(){t.props.revealOrder?(o.push(r),Et(t,e,o)):r()};n?n(s):s()}},ke.prototype.render=function(e){this.i=null,this.l=new Map;var t=oe(e.children);e.revealOrder&&e.revealOrder[0]==="b"&&t.reverse();for(var n=t.length;n--;)this.l.set(t[n],this.i=[1,0,this.i]);return e.children},ke.prototype.componentDidUpdate=ke.prototype.componentDidMount=function(){var e=this;this.l.forEach(function(t,n){Et(e,n,t)})};var On=typeof Symbol<"u"&&Symbol.for&&Symbol.for("react.element")||60103,Fn=/^(?:accent|alignment|arabic|baseline|cap|clip(?!PathU)|color|dominant|fill|flood|font|glyph(?!R)|horiz|image(!S)|letter|lighting|marker(?!H|W|U)|overline|paint|pointer|shape|stop|strikethrough|stroke|text(?!L)|transform|underline|unicode|units|v|vector|vert|word|writing|x(?!C))[A-Z]/,qn=/^on(Ani|Tra|Tou|BeforeInp|Compo)/,zn=/[A-Z0-9]/g,Wn=typeof document<"u",Bn=function(e){return(typeof Symbol<"u"&&typeof Symbol()=="symbol"?/fil|che|rad/:/fil|che|ra/).test(e)};function Pt(e,t,n){return t.__k==null&&(t.textContent=""),$e(e,t),typeof n=="function"&&n(),e?e.__c:null}$.prototype.isReactComponent=!0,["componentWillMount","componentWillReceiveProps","componentWillUpdate"].forEach(function(e){Object.defineProperty($.prototype,e,{configurable:!0,get:function(){return this["UNSAFE_"+e]},set:function(t){Object.defineProperty(this,e,{configurable:!0,writable:!0,value:t})}})});var Rt=m.event;m.event=function(e){return Rt&&(e=Rt(e)),e.persist=function(){},e.isPropagationStopped=function(){return this.cancelBubble},e.isDefaultPrevented=function(){return this.defaultPrevented},e.nativeEvent=e};var $t,Kn={configurable:!0,get:function(){return this.class}},At=m.vnode;m.vnode=function(e){typeof e.type=="string"&&(function(t){var n=t.props,o=t.type,r={},s=o.indexOf("-")==-1;for(var a in n){var c=n[a];if(!(a==="value"&&"defaultValue"in n&&c==null||Wn&&a==="children"&&o==="noscript"||a==="class"||a==="className")){var l=a.toLowerCase();a==="defaultValue"&&"value"in n&&n.value==null?a="value":a==="download"&&c===!0?c="":l==="translate"&&c==="no"?c=!1:l[0]==="o"&&l[1]==="n"?l==="ondoubleclick"?a="ondblclick":l!=="onchange"||o!=="input"&&o!=="textarea"||Bn(n.type)?l==="onfocus"?a="onfocusin":l==="onblur"?a="onfocusout":qn.test(a)&&(a=l):l=a="oninput":s&&Fn.test(a)?a=a.replace(zn,"-$&").toLowerCase():c===null&&(c=void 0),l==="oninput"&&r[a=l]&&(a="oninputCapture"),r[a]=c}}o=="select"&&(r.multiple&&Array.isArray(r.value)&&(r.value=oe(n.children).forEach(function(u){u.props.selected=r.value.indexOf(u.props.value)!=-1})),r.defaultValue!=null&&(r.value=oe(n.children).forEach(function(u){u.props.selected=r.multiple?r.defaultValue.indexOf(u.props.value)!=-1:r.defaultValue==u.props.value}))),n.class&&!n.className?(r.class=n.class,Object.defineProperty(r,"className",Kn)):n.className&&(r.class=r.className=n.className),t.props=r})(e),e.$$typeof=On,At&&At(e)};var Mt=m.__r;m.__r=function(e){Mt&&Mt(e),$t=e.__c};var Tt=m.diffed;m.diffed=function(e){Tt&&Tt(e);var t=e.props,n=e.__e;n!=null&&e.type==="textarea"&&"value"in t&&t.value!==n.value&&(n.value=t.value==null?"":t.value),$t=null};function Ut(e){return!!e.__k&&($e(null,e),!0)}function Ht(e){return{render:function(t){Pt(t,e)},unmount:function(){Ut(e)}}}var Ot=`/* bookchat widget: everything is scoped under .bookchat-root; colors follow data-theme. */
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
`;function jn(){let e=document.documentElement.getAttribute("data-theme");return e==="dark"||e==="light"?e:window.matchMedia?.("(prefers-color-scheme: dark)").matches?"dark":"light"}function Ft(){let[e,t]=U("light");return A(()=>{let n=()=>t(jn());n();let o=new MutationObserver(n);o.observe(document.documentElement,{attributes:!0,attributeFilter:["data-theme"]});let r=window.matchMedia?.("(prefers-color-scheme: dark)");return r?.addEventListener?.("change",n),()=>{o.disconnect(),r?.removeEventListener?.("change",n)}},[]),e}var xe=class{constructor(){this.buffer="";this.eventName="";this.dataLines=[];this.sawData=!1;this.pendingCR=!1}push(t){let n=[],o=t;this.pendingCR&&(o.startsWith(`
`)&&(o=o.slice(1)),this.pendingCR=!1),this.buffer+=o;let r=0;for(let s=0;s<this.buffer.length;s++){let a=this.buffer[s];if(a!==`
`&&a!=="\r")continue;let c=this.buffer.slice(r,s);a==="\r"&&(s+1<this.buffer.length?this.buffer[s+1]===`
`&&s++:this.pendingCR=!0),r=s+1,this.line(c,n)}return this.buffer=this.buffer.slice(r),n}end(){return this.buffer="",this.reset(),[]}reset(){this.eventName="",this.dataLines=[],this.sawData=!1}line(t,n){if(t===""){if(this.sawData){let a={event:this.eventName||"message",data:this.dataLines.join(`
`)};this.lastId!==void 0&&(a.id=this.lastId),n.push(a)}this.reset();return}if(t.startsWith(":"))return;let o=t.indexOf(":"),r=o===-1?t:t.slice(0,o),s=o===-1?"":t.slice(o+1);switch(s.startsWith(" ")&&(s=s.slice(1)),r){case"event":this.eventName=s;break;case"data":this.dataLines.push(s),this.sawData=!0;break;case"id":s.includes("\0")||(this.lastId=s);break;default:break}}};var I=class extends Error{constructor(n,o,r,s,a){super(o);this.kind=n;this.status=r;this.code=s;this.retryAfter=a;this.name="ApiError"}};function Xn(e,t){return`${e.trim().replace(/\/+$/,"")}${t}`}function Jn(e,t={}){let n={"Content-Type":"application/json",...t};return e.apiKey&&(n.Authorization=`Bearer ${e.apiKey}`),n}function Yn(e,t=Date.now()){if(!e)return;if(/^\s*\d+\s*$/.test(e))return Number.parseInt(e,10);let n=Date.parse(e);if(!Number.isNaN(n))return Math.max(0,Math.ceil((n-t)/1e3))}async function qt(e){let t,n=e.statusText||`HTTP ${e.status}`;try{let o=await e.json();o&&typeof o.error=="object"&&o.error&&(typeof o.error.code=="string"&&(t=o.error.code),typeof o.error.message=="string"&&(n=o.error.message))}catch{}return new I("http",n,e.status,t,Yn(e.headers.get("Retry-After")))}function Zn(){let e=globalThis.crypto;return e&&typeof e.randomUUID=="function"?e.randomUUID():void 0}async function zt(e,t,n,o,r){let s=e.fetch??fetch,a={};r&&(a.Accept=r);let c=Zn();c&&(a["X-Request-ID"]=c);try{return await s(Xn(e.backend,t),{method:"POST",headers:Jn(e,a),body:JSON.stringify(n),signal:o,credentials:"omit"})}catch(l){throw o?.aborted?l:new I("network",l instanceof Error?l.message:String(l))}}function we(e){try{return JSON.parse(e)}catch{throw new I("protocol","The service sent an event that is not JSON.")}}async function Fe(e,t,n,o){let r=await zt(e,"/chat/stream",t,o,"text/event-stream");if(!r.ok)throw await qt(r);if(!r.body)throw new I("protocol","The service sent no stream.");let s=r.body.getReader(),a=new TextDecoder,c=new xe;try{for(;;){let l;try{l=await s.read()}catch(_){throw o?.aborted?_:new I("network","The connection dropped while the answer was arriving.")}let u=l.done?a.decode():a.decode(l.value,{stream:!0}),f=c.push(u);l.done&&f.push(...c.end());for(let _ of f)switch(_.event){case"sources":{let i=we(_.data);n.onSources?.(Array.isArray(i.source_nodes)?i.source_nodes:[]);break}case"delta":{let i=we(_.data);typeof i.delta=="string"&&i.delta&&n.onDelta?.(i.delta);break}case"done":{let i=we(_.data);return n.onDone?.(i),i}case"error":{let i=we(_.data),p=typeof i.retry_after=="number"?i.retry_after:void 0;throw new I("stream",i.message||"The answer failed.",void 0,i.code,p)}default:break}if(l.done)throw new I("protocol","The answer stopped before it was complete.")}}finally{s.cancel().catch(()=>{})}}async function Wt(e,t,n){let o=await zt(e,"/feedback",t,n);if(!o.ok)throw await qt(o)}function Bt(e){if(e.kind==="network")return"Cannot reach the chat service. Check your connection and try again.";if(e.kind==="stream"){let n=e.retryAfter!==void 0?` Try again in ${e.retryAfter} s.`:"";return`The answer was interrupted: ${e.message}${n}`}if(e.kind==="protocol")return e.message;let t=e.message?` ${e.message}`:"";switch(e.status){case 401:return"The chat service refused this site’s access key (401).";case 403:return"The chat service refused the request (403).";case 404:return"The chat service has no such endpoint (404): check the backend URL.";case 413:return"The question or the selected text is too long (413). Shorten it and try again.";case 422:return`The service could not accept this question (422).${t}`;case 429:return e.retryAfter!==void 0?`Too many questions right now (429). Try again in ${e.retryAfter} s.`:"Too many questions right now (429). Try again in a moment.";case 502:return"The answering model returned an error (502).";case 503:return"The answering service is unavailable right now (503).";case 504:return"The answer took too long (504).";default:return`The chat service failed (${e.status??"error"}).${t}`}}var qe=/\[([^[\]\n]{1,200})\]/g;function ze(e,t){let n=e.trim();if(/^\d+(\s*,\s*\d+)*$/.test(n)){let s=n.split(",").map(a=>Number.parseInt(a.trim(),10));return s.every(a=>a>=1&&a<=t.length)?s:null}let o=n.split(/\s*[,;]\s*/),r=[];for(let s of o){let a=t.findIndex(c=>c.metadata?.source===s);if(a===-1)return null;r.push(a+1)}return r.length?r:null}function Gn(e,t){let n=[],o=0;qe.lastIndex=0;for(let r=qe.exec(e);r;r=qe.exec(e)){let s=r.index+r[0].length;if(e[s]==="(")continue;let a=ze(r[1]??"",t);a&&(r.index>o&&n.push({type:"text",text:e.slice(o,r.index)}),n.push({type:"cite",indices:a,raw:r[0]}),o=s)}return o<e.length&&n.push({type:"text",text:e.slice(o)}),n}function Kt(e,t){let n=new Set;for(let o of Gn(e,t))o.type==="cite"&&o.indices.forEach(r=>n.add(r));return[...n].sort((o,r)=>o-r)}function We(e){let t=e.metadata??{},n=typeof t.title=="string"&&t.title?t.title:t.source??"Source",o=typeof t.heading=="string"?t.heading:"";return o&&o!==n?`${n} › ${o}`:String(n)}function Vt(e){let t=e.metadata??{};return typeof t.url!="string"||!t.url||!Be(t.url)?null:!t.url.includes("#")&&typeof t.anchor=="string"&&t.anchor?`${t.url}#${t.anchor}`:t.url}function Be(e){let t=e.trim();if(/[\u0000-\u001f]/.test(t))return!1;let n=/^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(t);return n?["http","https","mailto"].includes((n[1]??"").toLowerCase()):!0}var Ke=4e3,Qn=50,jt=8e3,Ve=8e3,ae={messages:[]};function K(e,t,n){return{messages:e.messages.map(o=>o.id===t&&o.role==="assistant"?n(o):o)}}function Xt(e,t){switch(t.type){case"ask":return{messages:[...e.messages,t.user,{id:t.assistantId,role:"assistant",replyTo:t.user.id,content:"",status:"waiting",sources:[]}]};case"retry":return K(e,t.id,n=>({id:n.id,role:"assistant",replyTo:n.replyTo,content:"",status:"waiting",sources:[]}));case"sources":return K(e,t.id,n=>({...n,sources:t.sources,status:"streaming"}));case"delta":return K(e,t.id,n=>({...n,content:n.content+t.delta,status:"streaming"}));case"done":return K(e,t.id,n=>{let o=typeof t.done.answer=="string"?t.done.answer:n.content,r=Array.isArray(t.done.cited)?t.done.cited:Kt(o,n.sources);return{...n,content:o,status:"done",outcome:typeof t.done.outcome=="string"?t.done.outcome:"answered",cited:r,requestId:typeof t.done.request_id=="string"?t.done.request_id:n.requestId}});case"stopped":return K(e,t.id,n=>n.status==="waiting"||n.status==="streaming"?{...n,status:"stopped"}:n);case"failed":return K(e,t.id,n=>({...n,status:"error",error:t.error}));case"rate":return K(e,t.id,n=>({...n,rating:t.rating,feedback:t.feedback}));case"feedback":return K(e,t.id,n=>({...n,feedback:t.feedback}));case"clear":return ae}}function Jt(e,t){let n=[];for(let o of e.messages){if(o.id===t)break;o.role==="user"?n.push({role:"user",content:o.content}):(o.status==="done"||o.status==="stopped")&&o.content.trim()&&n.push({role:"assistant",content:o.content})}return n.filter(o=>o.content.trim()).slice(-Qn).map(o=>({role:o.role,content:o.content.length>jt?o.content.slice(0,jt):o.content}))}function ie(e){return e.messages.some(t=>t.role==="assistant"&&(t.status==="waiting"||t.status==="streaming"))}function eo(e){return!e||typeof e!="object"||!Array.isArray(e.messages)?ae:{messages:e.messages.filter(n=>!!n&&typeof n=="object"&&typeof n.id=="string"&&(n.role==="user"||n.role==="assistant")).map(n=>n.role==="assistant"&&(n.status==="waiting"||n.status==="streaming")?{...n,status:"stopped",sources:Array.isArray(n.sources)?n.sources:[]}:n.role==="assistant"?{...n,sources:Array.isArray(n.sources)?n.sources:[]}:n)}}function Yt(e,t){if(!e)return ae;try{let n=e.getItem(t);return n?eo(JSON.parse(n)):ae}catch{return ae}}function Zt(e,t,n){if(e)try{n.messages.length?e.setItem(t,JSON.stringify(n)):e.removeItem(t)}catch{}}var to=0;function d(e,t,n,o,r,s){t||(t={});var a,c,l=t;if("ref"in l)for(c in l={},t)c=="ref"?a=t[c]:l[c]=t[c];var u={type:e,props:l,key:n,ref:a,__k:null,__:null,__b:0,__e:null,__c:null,constructor:void 0,__v:--to,__i:-1,__u:0,__source:r,__self:s};if(typeof e=="function"&&(a=e.defaultProps))for(c in a)l[c]===void 0&&(l[c]=a[c]);return m.vnode&&m.vnode(u),u}var Qt=/^ {0,3}(`{3,}|~{3,})\s*([\w+-]*)[^\n]*$/,en=/^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/,ce=/^( {0,3})([-*+]|\d{1,9}[.)])\s+(.*)$/,tn=/^ {0,3}([-*_])(\s*\1){2,}\s*$/,Se=/^ {0,3}>\s?(.*)$/;function Gt(e){return Qt.test(e)||en.test(e)||ce.test(e)||Se.test(e)||tn.test(e)}function nn(e){let t=e.replace(/\r\n?/g,`
`).split(`
`),n=[],o=0;for(;o<t.length;){let r=t[o]??"";if(!r.trim()){o++;continue}let s=Qt.exec(r);if(s){let u=s[1]??"```",f=[];for(o++;o<t.length&&!(t[o]??"").trim().startsWith(u);)f.push(t[o]??""),o++;o++,n.push({kind:"code",lang:s[2]??"",text:f.join(`
`)});continue}let a=en.exec(r);if(a){n.push({kind:"heading",level:(a[1]??"#").length,text:a[2]??""}),o++;continue}if(tn.test(r)){n.push({kind:"rule"}),o++;continue}if(Se.test(r)){let u=[];for(;o<t.length&&Se.test(t[o]??"");)u.push(Se.exec(t[o]??"")?.[1]??""),o++;n.push({kind:"quote",text:u.join(`
`)});continue}let c=ce.exec(r);if(c){let u=(c[1]??"").length,f=/\d/.test(c[2]??""),_=f?Number.parseInt(c[2]??"1",10):1,i=[],p=[];for(;o<t.length;){let b=t[o]??"",S=ce.exec(b);if(S&&(S[1]??"").length<=u+1&&/\d/.test(S[2]??"")===f){p.length&&i.push(p.join(`
`)),p=[S[3]??""],o++;continue}if(!b.trim()){let y=t[o+1]??"";if(/^\s{2,}\S/.test(y)||ce.exec(y)&&(ce.exec(y)?.[1]??"").length<=u+1){p.push(""),o++;continue}break}if(/^\s{2,}/.test(b)){p.push(b.replace(/^\s{2,4}/,"")),o++;continue}if(Gt(b))break;p.push(b.trim()),o++}p.length&&i.push(p.join(`
`)),n.push({kind:"list",ordered:f,start:_,items:i});continue}let l=[];for(;o<t.length&&(t[o]??"").trim()&&!(l.length&&Gt(t[o]??""));)l.push((t[o]??"").trim()),o++;n.push({kind:"para",text:l.join(`
`)})}return n}var no=/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)|\*\*(?=\S)([\s\S]*?\S)\*\*|__(?=\S)([\s\S]*?\S)__|\*(?=[^\s*])([\s\S]*?[^\s*])\*|(?<![\w])_(?=[^\s_])([\s\S]*?[^\s_])_(?![\w])|\[([^[\]\n]+)\]\(([^()\s]+)(?:\s+"[^"\n]*")?\)|\[([^[\]\n]{1,200})\]|(\n)/g;function Q(e,t,n){let o=[],r=0,s=0,a=new RegExp(no.source,"g");for(let c=a.exec(e);c;c=a.exec(e)){let l=`${n}.${s++}`;if(c.index>r&&o.push(e.slice(r,c.index)),r=c.index+c[0].length,c[1]!==void 0)o.push(d("code",{children:(c[2]??"").replace(/^ (.*) $/,"$1")},l));else if(c[3]!==void 0||c[4]!==void 0)o.push(d("strong",{children:Q(c[3]??c[4]??"",t,l)},l));else if(c[5]!==void 0||c[6]!==void 0)o.push(d("em",{children:Q(c[5]??c[6]??"",t,l)},l));else if(c[7]!==void 0){let u=c[8]??"",f=Q(c[7],t,l);o.push(Be(u)?t.renderLink(u,f,l):d(T,{children:f},l))}else if(c[9]!==void 0){let u=ze(c[9],t.sources);o.push(u?t.renderCite(u,c[0],l):c[0])}else c[10]!==void 0&&o.push(" ")}return r<e.length&&o.push(e.slice(r)),o}function on(e,t,n){switch(e.kind){case"code":return d("pre",{className:"bookchat-code",children:d("code",{"data-lang":e.lang||void 0,children:e.text})},n);case"heading":{let o=e.level<=2?"h4":e.level===3?"h5":"h6";return d(o,{children:Q(e.text,t,n)},n)}case"rule":return d("hr",{},n);case"quote":return d("blockquote",{children:rn(e.text,t,n)},n);case"list":{let o=e.items.map((r,s)=>d("li",{children:oo(r,t,`${n}.${s}`)},`${n}.${s}`));return e.ordered?d("ol",{start:e.start===1?void 0:e.start,children:o},n):d("ul",{children:o},n)}case"para":return d("p",{children:Q(e.text,t,n)},n)}}function oo(e,t,n){let o=nn(e),r=o[0];return o.length===1&&r&&r.kind==="para"?Q(r.text,t,n):o.map((s,a)=>on(s,t,`${n}.${a}`))}function rn(e,t,n="md"){return nn(e).map((o,r)=>on(o,t,`${n}.${r}`))}function sn({text:e,ctx:t}){return d("div",{className:"bookchat-md",children:rn(e,t)})}var an="Ctrl+Shift+K",cn="Explain this passage.",ro="(max-width: 600px)",un=0;function ln(e){return un+=1,`${e}-${Date.now().toString(36)}-${un}`}function Ce(e){try{return e==="session"?window.sessionStorage:void 0}catch{return}}function dn(e){return e.replace(/```[\s\S]*?(```|$)/g," (code) ").replace(/[*_`#>]+/g,"").replace(/\s+/g," ").trim()}function so(e){return e instanceof I?{text:Bt(e),status:e.status,code:e.code,retryAfter:e.retryAfter}:{text:"Something went wrong while asking. Try again."}}function fn({node:e,className:t,title:n,children:o,InternalLink:r,onNavigate:s}){let a=Vt(e);return a?d(_n,{href:a,className:t,title:n,InternalLink:r,onNavigate:s,children:o}):d("span",{className:t,title:n,children:o})}function _n({href:e,className:t,title:n,children:o,InternalLink:r,onNavigate:s}){let a=null;try{a=new URL(e,window.location.href)}catch{a=null}if(a&&a.origin===window.location.origin){let c=`${a.pathname}${a.search}${a.hash}`;return r?d(r,{to:c,className:t,title:n,onClick:s,children:o}):d("a",{href:c,className:t,title:n,onClick:s,children:o})}return d("a",{href:a?a.href:e,className:t,title:n,target:"_blank",rel:"noopener noreferrer",children:o})}function hn(e){let{backend:t,apiKey:n,title:o="Ask the book",sendPage:r=!0,colorMode:s,pathname:a,InternalLink:c}=e,l=se(()=>({backend:t,apiKey:n}),[t,n]),u=`bookchat:v1:${t||"same-origin"}`,[f,_]=ve(Xt,void 0,()=>Yt(Ce("session"),u)),[i,p]=U(()=>Ce("session")?.getItem(`${u}:open`)==="1"),[b,S]=U(""),[y,x]=U(null),[g,E]=U(null),[V,L]=U(""),P=O(f);P.current=f;let H=O(null),j=O(!1),X=O(null),M=O(null),D=O(null),je=O(null),Ne=O(i),Xe=ye(),Je=ye();A(()=>Zt(Ce("session"),u,f),[f,u]),A(()=>{try{Ce("session")?.setItem(`${u}:open`,i?"1":"0")}catch{}},[i,u]),A(()=>{i&&!Ne.current&&D.current?.focus(),!i&&Ne.current&&M.current?.focus(),Ne.current=i},[i]),A(()=>{i&&D.current?.focus({preventScroll:!0})},[]),A(()=>{let h=je.current;h&&(h.scrollTop=h.scrollHeight)},[f,i]),A(()=>()=>H.current?.abort(),[]),A(()=>{let h=v=>{if((v.ctrlKey||v.metaKey)&&v.shiftKey&&!v.altKey&&v.key.toLowerCase()==="k"){v.preventDefault(),p(k=>!k);return}if(v.key==="Escape"&&i&&!v.defaultPrevented){let k=document.activeElement;(k&&X.current?.contains(k)||k===document.body||k===null)&&(v.preventDefault(),p(!1))}};return document.addEventListener("keydown",h),()=>document.removeEventListener("keydown",h)},[i]),A(()=>{let h,v=()=>{window.clearTimeout(h),h=window.setTimeout(()=>{let k=window.getSelection(),N=k?.toString().trim()??"";if(!k||k.rangeCount===0||N.length<2){E(null);return}let z=k.anchorNode;if(z&&X.current?.contains(z)){E(null);return}let F=k.getRangeAt(0).getBoundingClientRect();if(F.width===0&&F.height===0){E(null);return}let R=F.bottom+8,J=R+40>window.innerHeight?Math.max(8,F.top-44):R,Z=Math.min(Math.max(8,F.left+F.width/2-70),window.innerWidth-150);E({text:N.slice(0,Ve),top:J,left:Z})},150)};return document.addEventListener("selectionchange",v),document.addEventListener("pointerup",v),()=>{window.clearTimeout(h),document.removeEventListener("selectionchange",v),document.removeEventListener("pointerup",v)}},[]);let ue=B(async(h,v)=>{H.current?.abort();let k=new AbortController;H.current=k;let N={message:h.content},z=Jt(P.current,h.id);z.length&&(N.history=z),h.selectedText&&(N.selected_text=h.selectedText),r&&h.page&&!j.current&&(N.page=h.page);let F={onSources:R=>_({type:"sources",id:v,sources:R}),onDelta:R=>_({type:"delta",id:v,delta:R})};try{let R;try{R=await Fe(l,N,F,k.signal)}catch(Z){if(Z instanceof I&&Z.status===422&&N.page&&/\bpage\b/.test(Z.message))j.current=!0,delete N.page,R=await Fe(l,N,F,k.signal);else throw Z}_({type:"done",id:v,done:R});let J=typeof R.answer=="string"?R.answer:"";L(R.outcome==="not_in_book"?`Not in the book. ${dn(J)}`:`Answer: ${dn(J)}`)}catch(R){if(k.signal.aborted)_({type:"stopped",id:v}),L("Answer stopped.");else{let J=so(R);_({type:"failed",id:v,error:J}),L(J.text)}}finally{H.current===k&&(H.current=null)}},[l,r]),bn=B((h,v)=>{let k=(h.trim()||(v?cn:"")).slice(0,Ke);if(!k||ie(P.current))return;let N={id:ln("u"),role:"user",content:k,page:a};v&&(N.selectedText=v.slice(0,Ve));let z=ln("a");_({type:"ask",user:N,assistantId:z}),ue(N,z)},[a,ue]),gn=B(h=>{let v=P.current.messages.find(k=>k.id===h.replyTo&&k.role==="user");!v||ie(P.current)||(_({type:"retry",id:h.id}),ue(v,h.id))},[ue]),vn=B(()=>H.current?.abort(),[]),yn=B(()=>{H.current?.abort(),_({type:"clear"}),L("Conversation cleared."),D.current?.focus()},[]),kn=B(async(h,v)=>{if(!h.requestId){_({type:"rate",id:h.id,rating:v,feedback:"unavailable"});return}_({type:"rate",id:h.id,rating:v,feedback:"sending"});try{await Wt(l,{request_id:h.requestId,rating:v}),_({type:"feedback",id:h.id,feedback:"sent"})}catch(k){let N=k instanceof I&&(k.status===404||k.status===405);_({type:"feedback",id:h.id,feedback:N?"unavailable":"failed"})}},[l]),Ye=h=>{h.preventDefault(),!ie(f)&&(bn(b,y),S(""),x(null))},xn=h=>{h.key==="Enter"&&!h.shiftKey&&!h.nativeEvent.isComposing&&(h.preventDefault(),Ye(h))},wn=()=>{g&&(x(g.text),E(null),p(!0),window.setTimeout(()=>D.current?.focus(),0))},Sn=()=>{window.matchMedia?.(ro).matches&&p(!1)},Ee=ie(f),Re=f.messages;return d("div",{ref:X,className:"bookchat-root","data-theme":s,"data-bookchat":"",children:[g&&!Ee?d("button",{type:"button",className:"bookchat-askselection",style:{top:g.top,left:g.left},onPointerDown:h=>h.preventDefault(),onMouseDown:h=>h.preventDefault(),onClick:wn,children:"Ask about this"}):null,i?null:d("button",{ref:M,type:"button",className:"bookchat-launcher","aria-expanded":!1,"aria-controls":Xe,"aria-keyshortcuts":"Control+Shift+K Meta+Shift+K",title:`${o} (${an})`,onClick:()=>p(!0),children:[d("svg",{"aria-hidden":"true",viewBox:"0 0 24 24",width:"22",height:"22",children:d("path",{fill:"currentColor",d:"M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm3 6v2h2v-2H7zm4 0v2h2v-2h-2zm4 0v2h2v-2h-2z"})}),d("span",{className:"bookchat-launcher-label",children:o})]}),d("section",{id:Xe,className:"bookchat-panel",role:"dialog","aria-modal":"false","aria-labelledby":Je,hidden:!i,children:[d("header",{className:"bookchat-header",children:[d("h2",{id:Je,className:"bookchat-title",children:o}),d("button",{type:"button",className:"bookchat-iconbutton",onClick:yn,disabled:!Re.length,title:"Clear the conversation",children:"Clear"}),d("button",{type:"button",className:"bookchat-iconbutton bookchat-close",onClick:()=>p(!1),"aria-label":"Close the chat (Esc)",title:"Close (Esc)",children:"×"})]}),d("div",{ref:je,className:"bookchat-log",role:"region","aria-label":"Conversation",children:Re.length===0?d("div",{className:"bookchat-empty",children:[d("p",{children:"Ask a question about this book: the answer cites the sections it comes from."}),d("p",{children:"Select text on a page and choose “Ask about this” to ask about a passage."}),d("p",{children:["Open or close this panel with ",d("kbd",{children:an}),"; ",d("kbd",{children:"Esc"})," closes it."]})]}):Re.map(h=>d(ao,{message:h,InternalLink:c,onNavigate:Sn,onRetry:gn,onRate:kn,busy:Ee},h.id))}),d("form",{className:"bookchat-composer",onSubmit:Ye,children:[y?d("div",{className:"bookchat-attached",children:[d("span",{className:"bookchat-attached-label",children:"Asking about:"}),d("q",{className:"bookchat-attached-text",children:y.length>160?`${y.slice(0,160)}…`:y}),d("button",{type:"button",className:"bookchat-iconbutton","aria-label":"Remove the selected passage",onClick:()=>x(null),children:"×"})]}):null,d("div",{className:"bookchat-inputrow",children:[d("textarea",{ref:D,className:"bookchat-input",value:b,maxLength:Ke,rows:2,placeholder:y?cn:"Ask a question about the book…","aria-label":"Your question",onChange:h=>S(h.target.value),onKeyDown:xn}),Ee?d("button",{type:"button",className:"bookchat-send bookchat-stop",onClick:vn,children:"Stop"}):d("button",{type:"submit",className:"bookchat-send",disabled:!b.trim()&&!y,children:"Send"})]})]})]}),d("div",{className:"bookchat-sr-only","aria-live":"polite","aria-atomic":"true",role:"status",children:V})]})}function pn({down:e=!1}){return d("svg",{"aria-hidden":"true",viewBox:"0 0 24 24",width:"16",height:"16",style:e?{transform:"rotate(180deg)"}:void 0,children:d("path",{fill:"currentColor",d:"M2 10h4v11H2zM8 21h9.4a2 2 0 0 0 1.96-1.6l1.5-7A2 2 0 0 0 18.9 10H14l.8-4.1A1.8 1.8 0 0 0 13 3.8L8 10z"})})}function ao({message:e,InternalLink:t,onNavigate:n,onRetry:o,onRate:r,busy:s}){return e.role==="user"?d("div",{className:"bookchat-msg bookchat-user",children:[e.selectedText?d("blockquote",{className:"bookchat-quote",children:e.selectedText.length>200?`${e.selectedText.slice(0,200)}…`:e.selectedText}):null,d("p",{children:e.content})]}):d(io,{answer:e,InternalLink:t,onNavigate:n,onRetry:o,onRate:r,busy:s})}function io({answer:e,InternalLink:t,onNavigate:n,onRetry:o,onRate:r,busy:s}){let a=e.sources,c=e.outcome==="not_in_book",l=new Set(e.cited??[]),u={sources:a,renderCite:(f,_,i)=>d("span",{className:"bookchat-cites",children:f.map(p=>{let b=a[p-1];return b?d(fn,{node:b,className:"bookchat-cite",title:We(b),InternalLink:t,onNavigate:n,children:["[",p,"]"]},`${i}.${p}`):null})},i),renderLink:(f,_,i)=>d(_n,{href:f,InternalLink:t,onNavigate:n,children:_},i)};return d("div",{className:`bookchat-msg bookchat-answer${c?" bookchat-notinbook":""}`,"data-status":e.status,"data-outcome":e.outcome,"aria-busy":e.status==="waiting"||e.status==="streaming",children:[c?d("p",{className:"bookchat-notice",children:[d("strong",{children:"Not in the book."})," The book does not cover this question."]}):null,e.status==="waiting"?d("p",{className:"bookchat-thinking",children:"Searching the book…"}):null,e.content?d(sn,{text:e.content,ctx:u}):null,e.status==="streaming"&&!e.content?d("p",{className:"bookchat-thinking",children:"Writing…"}):null,e.status==="stopped"?d("p",{className:"bookchat-stopped",children:"Stopped."}):null,e.status==="error"&&e.error?d("div",{className:"bookchat-error",role:"alert",children:[d("span",{className:"bookchat-error-text",children:e.error.text}),d("button",{type:"button",className:"bookchat-retry",onClick:()=>o(e),disabled:s,children:"Retry"})]}):null,a.length&&e.status!=="error"?d("div",{className:"bookchat-sources",children:[d("p",{className:"bookchat-sources-title",children:c?"Closest passages":"Sources"}),d("ol",{children:a.map((f,_)=>d("li",{className:l.has(_+1)||f.cited?"bookchat-source bookchat-source-cited":"bookchat-source",children:[d("span",{className:"bookchat-source-n",children:["[",_+1,"]"]})," ",d(fn,{node:f,className:"bookchat-source-link",InternalLink:t,onNavigate:n,children:We(f)})]},`${f.id}.${_}`))})]}):null,e.status==="done"?d("div",{className:"bookchat-feedback",children:[d("span",{className:"bookchat-feedback-label",children:"Helpful?"}),d("button",{type:"button",className:"bookchat-thumb","aria-label":"Helpful","aria-pressed":e.rating==="up",disabled:e.feedback==="sending"||e.feedback==="sent",onClick:()=>{r(e,"up")},children:d(pn,{})}),d("button",{type:"button",className:"bookchat-thumb","aria-label":"Not helpful","aria-pressed":e.rating==="down",disabled:e.feedback==="sending"||e.feedback==="sent",onClick:()=>{r(e,"down")},children:d(pn,{down:!0})}),d("span",{className:"bookchat-feedback-state",role:"status",children:e.feedback==="sent"?"Thanks for the feedback.":e.feedback==="unavailable"?"Feedback is not available on this server.":e.feedback==="failed"?"Could not send the feedback.":""})]}):null]})}function co(e){let t=Ft(),[n,o]=U(window.location.pathname);return A(()=>{let r=()=>o(window.location.pathname);return window.addEventListener("popstate",r),()=>window.removeEventListener("popstate",r)},[]),d(hn,{...e,colorMode:t,pathname:n})}function uo(e){let t=e?.dataset??{},n={backend:(t.backend??"").trim().replace(/\/+$/,"")};return t.apiKey&&(n.apiKey=t.apiKey),t.title&&(n.title=t.title),t.sendPage==="false"&&(n.sendPage=!1),n}var lo=document.currentScript;function mn(){if(document.querySelector("[data-bookchat-host]"))return;let e=document.createElement("style");e.setAttribute("data-bookchat-style",""),e.textContent=Ot,document.head.appendChild(e);let t=document.createElement("div");t.setAttribute("data-bookchat-host",""),document.body.appendChild(t),Ht(t).render(d(co,{...uo(lo)}))}document.readyState==="loading"?document.addEventListener("DOMContentLoaded",mn):mn();})();
